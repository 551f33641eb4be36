package dev.haps.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haps.runtime.HapsRouter;
import dev.haps.runtime.RouterBundle;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Installing a bundle into the promoter's folder copies what was loaded, whatever its form. */
class PromoterTest {

  @Test
  void adopt_zippedBundle_installsALoadableCopyAndLeavesNoTemporaryFolder(@TempDir Path tmp)
      throws Exception {
    RouterBundle shipped = RouterBundle.fromClasspath(HapsRouter.DEFAULT_BUNDLE);
    Path zip = tmp.resolve("candidate.zip");
    try (OutputStream out = Files.newOutputStream(zip);
        ZipOutputStream z = new ZipOutputStream(out)) {
      z.putNextEntry(new ZipEntry("manifest.json"));
      z.write(shipped.manifestJson());
      z.putNextEntry(new ZipEntry("router.onnx"));
      z.write(shipped.routerOnnx());
    }
    Promoter promoter = Promoter.open(tmp.resolve("serving"));

    Path installed = promoter.adopt(zip);

    assertThat(installed.getParent()).isEqualTo(tmp.resolve("serving").resolve("bundles"));
    assertThat(RouterBundle.load(installed).routerSha256()).isEqualTo(shipped.routerSha256());
    assertThat(installed.resolve("manifest.json")).hasBinaryContent(shipped.manifestJson());
    assertThat(promoter.serving()).contains(installed);
    assertThat(promoter.servingPolicy()).isEqualTo(shipped.routerSha256());
    try (var entries = Files.list(installed.getParent())) {
      assertThat(entries).containsExactly(installed);
    }
  }
}
