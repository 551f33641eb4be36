package dev.haps.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS from a PKCS#12 key store made with the JDK's keytool; the password comes from the env. */
class TlsTest {

  @Test
  void servesHttps_fromAPkcs12KeyStore(@TempDir Path dir) throws Exception {
    Path p12 = dir.resolve("server.p12");
    Process keytool = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "haps", "-keyalg", "RSA", "-keysize", "2048",
        "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
        "-storetype", "PKCS12", "-keystore", p12.toString(), "-storepass", "s3cret-pass",
        "-keypass", "s3cret-pass").redirectErrorStream(true).start();
    String out = new String(keytool.getInputStream().readAllBytes());
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).as(out).isZero();

    try (ServeFixture fx = new ServeFixture(dir, ", \"tls\": {\"keyStore\": \"server.p12\","
        + " \"keyStorePassword\": \"${env:P12_PASSWORD}\"}",
        Map.of("P12_PASSWORD", "s3cret-pass"))) {
      assertThat(fx.server.url().getScheme()).isEqualTo("https");
      KeyStore trust = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(p12)) {
        trust.load(in, "s3cret-pass".toCharArray());
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), null);
      HttpClient https = HttpClient.newBuilder().sslContext(ssl).build();
      HttpResponse<String> r = https.send(HttpRequest.newBuilder(
              URI.create(fx.server.url() + "/v1/chat/completions"))
          .header("Authorization", "Bearer " + ServeFixture.KEY)
          .POST(HttpRequest.BodyPublishers.ofString(ServeFixture.chat("haps", "over TLS")))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(r.headers().firstValue("x-haps-model")).isPresent();
      // Plain HTTP on the TLS port gets no answer the client could take for one.
      try {
        HttpResponse<String> plain = ServeFixture.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + fx.server.port() + "/health")).build());
        assertThat(plain.statusCode()).isNotEqualTo(200);
      } catch (java.io.UncheckedIOException refused) {
        assertThat(refused).isNotNull(); // the TLS layer hung up on plain HTTP
      }
      assertThat(List.of(fx.server.toString())).noneMatch(s -> s.contains("s3cret"));
    }
  }
}
