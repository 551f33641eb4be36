package dev.haps.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SharedDataTest {

  @TempDir Path tmp;
  private String saved;

  @BeforeEach
  void save() {
    saved = System.getProperty(SharedData.PROPERTY);
  }

  @AfterEach
  void restore() {
    if (saved == null) {
      System.clearProperty(SharedData.PROPERTY);
    } else {
      System.setProperty(SharedData.PROPERTY, saved);
    }
  }

  @Test
  void locate_propertyWithDataFolder_wins() throws IOException {
    Path shared = Files.createDirectories(tmp.resolve("elsewhere/data/bench")).getParent()
        .getParent();
    System.setProperty(SharedData.PROPERTY, shared.toString());
    assertThat(SharedData.locate()).contains(shared.toAbsolutePath().normalize());
    assertThat(SharedData.benchmark("bench")).contains(shared.resolve("data/bench"));
    assertThat(SharedData.benchmark("missing")).isEmpty();
  }

  @Test
  void locate_propertyWithoutDataFolder_fallsBackToWalkingUp() {
    assumeTrue(saved != null && Files.isDirectory(Path.of(saved, "data")),
        "only inside a checkout that has the shared folder");
    System.setProperty(SharedData.PROPERTY, tmp.resolve("nothing-here").toString());
    // The build runs inside the repository, next to the shared folder.
    assertThat(SharedData.locate()).hasValueSatisfying(p ->
        assertThat(p.resolve("data")).isDirectory());
  }
}
