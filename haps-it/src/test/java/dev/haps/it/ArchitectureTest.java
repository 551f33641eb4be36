package dev.haps.it;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import com.tngtech.archunit.library.dependencies.SliceRule;
import dev.haps.it.Modules.Module;
import dev.haps.it.Modules.SourceFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module structure, checked on every build (docs/architecture.md):
 *
 * <ul>
 *   <li>no package cycle inside a module (the compiled classes of every library module);
 *   <li>no dependency against the module order ({@link Modules#LIBRARIES});
 *   <li>no package split across modules (the sources of every module, main and test);
 *   <li>no source outside a module names a package its {@code module-info} does not export, so
 *       class-path users cannot reach what the module path would refuse.
 * </ul>
 */
class ArchitectureTest {

  /**
   * Package cycles that exist today in haps-train and haps-eval and that the refactoring of those
   * modules removes: each entry ignores the dependencies from one package to another. When a
   * cycle is gone, {@link #knownCycleEdges_areStillThere} fails and names the entry to delete;
   * the list must end up empty.
   */
  static final List<Edge> KNOWN_CYCLE_EDGES = List.of();

  /** Packages deliberately shared by a test source set and another module: module to package. */
  static final Map<String, String> ALLOWED_SPLITS = Map.of(
      // SessionProbe: the soak test's window on the runtime's package-private session count.
      "haps-it", "dev.haps.runtime");

  /** Dependencies of every class in {@code from} on every class in {@code to} (same packages). */
  record Edge(String from, String to) {}

  private static JavaClasses classes;

  @BeforeAll
  static void importLibraries() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.haps");
  }

  @Test
  void everyLibraryModule_isImported() {
    for (Module m : Modules.LIBRARIES) {
      assertThat(classes.stream().anyMatch(c -> m.owns(c.getPackageName())))
          .as("classes of %s (%s) on haps-it's test class path; add it as a test dependency",
              m.name(), m.dir())
          .isTrue();
    }
  }

  @Test
  void packages_haveNoCyclesInsideAModule() {
    SliceRule rule = slices().matching("dev.haps.(**)").should().beFreeOfCycles()
        .as("packages inside each module are free of cycles");
    for (Edge e : KNOWN_CYCLE_EDGES) {
      rule = rule.ignoreDependency(resideInAPackage(e.from()), resideInAPackage(e.to()));
    }
    rule.check(classes);
  }

  @Test
  void knownCycleEdges_areStillThere() {
    for (Edge e : KNOWN_CYCLE_EDGES) {
      boolean present = classes.stream()
          .filter(c -> c.getPackageName().equals(e.from()))
          .flatMap(c -> c.getDirectDependenciesFromSelf().stream())
          .map(Dependency::getTargetClass)
          .anyMatch(t -> t.getPackageName().equals(e.to()));
      assertThat(present)
          .as("ArchitectureTest.KNOWN_CYCLE_EDGES lists %s -> %s, but nothing in %s depends on"
              + " %s any more: delete the entry so that the cycle cannot come back", e.from(),
              e.to(), e.from(), e.to())
          .isTrue();
    }
  }

  @Test
  void modules_dependOnlyOnModulesBelowThem() {
    LayeredArchitecture layers = layeredArchitecture().consideringOnlyDependenciesInLayers();
    for (Module m : Modules.LIBRARIES) {
      layers = layers.layer(m.name()).definedBy(m.patterns());
    }
    for (Module m : Modules.LIBRARIES) {
      Set<String> allowed = Modules.allowed(m);
      layers = allowed.isEmpty()
          ? layers.whereLayer(m.name()).mayNotAccessAnyLayer()
          : layers.whereLayer(m.name()).mayOnlyAccessLayers(allowed.toArray(String[]::new));
    }
    layers.as("each library module depends only on the modules below it"
        + " (Modules.LIBRARIES, docs/architecture.md)").check(classes);
  }

  @Test
  void packages_areNotSplitAcrossModules() {
    Map<String, Set<String>> modulesByPackage = new TreeMap<>();
    for (SourceFile f : Modules.sources(Modules.root())) {
      if (!f.isModuleInfo()) {
        modulesByPackage.computeIfAbsent(f.pkg(), k -> new TreeSet<>()).add(f.module());
      }
    }
    List<String> split = new ArrayList<>();
    modulesByPackage.forEach((pkg, modules) -> {
      Set<String> others = new TreeSet<>(modules);
      ALLOWED_SPLITS.forEach((module, p) -> {
        if (p.equals(pkg) && others.size() > 1) {
          others.remove(module);
        }
      });
      if (others.size() > 1) {
        split.add(pkg + " in " + modules);
      }
    });
    assertThat(split)
        .as("packages in more than one module (a named module cannot share a package; move"
            + " the classes, or list a deliberate test-only case in ALLOWED_SPLITS)")
        .isEmpty();
  }

  @Test
  void sourcesOutsideAModule_nameOnlyItsExportedPackages() {
    Path root = Modules.root();
    List<SourceFile> sources = Modules.sources(root);
    // Package -> (module directory, that module's exports), for every module with a descriptor.
    Map<String, String> owner = new TreeMap<>();
    Map<String, Map<String, Set<String>>> exports = new TreeMap<>();
    Map<String, String> jpmsName = new TreeMap<>();
    for (SourceFile f : sources) {
      if (f.main() && !f.isModuleInfo()) {
        owner.put(f.pkg(), f.module());
      }
      if (f.main() && f.isModuleInfo()) {
        exports.put(f.module(), Modules.exports(f.path()));
        jpmsName.put(f.module(), Modules.moduleName(f.path()));
      }
    }
    for (Module m : Modules.LIBRARIES) {
      assertThat(exports).as("%s/src/main/java/module-info.java", m.dir()).containsKey(m.dir());
    }
    List<String> violations = new ArrayList<>();
    for (SourceFile f : sources) {
      Path descriptor = root.resolve(f.module()).resolve("src/main/java/module-info.java");
      String self = Files.exists(descriptor) ? Modules.moduleName(descriptor) : null;
      for (String pkg : f.referencedPackages()) {
        String module = owner.get(pkg);
        if (module == null || module.equals(f.module()) || !exports.containsKey(module)) {
          continue;
        }
        Set<String> to = exports.get(module).get(pkg);
        boolean visible = to != null && (to.isEmpty() || (self != null && to.contains(self)));
        if (!visible) {
          violations.add(root.relativize(f.path()) + " names " + pkg + ", which "
              + jpmsName.get(module) + " does not export" + (to == null ? "" : " to it"));
        }
      }
    }
    assertThat(violations)
        .as("references to packages a module keeps to itself (use the exported API, or export"
            + " the package in that module's module-info.java and add it to the API baseline)")
        .isEmpty();
  }

  @Test
  void integrations_useOnlyTheClientAndWhatIsBelowIt() {
    Path root = Modules.root();
    List<SourceFile> sources = Modules.sources(root);
    Map<String, String> owner = new TreeMap<>();
    for (SourceFile f : sources) {
      if (f.main() && !f.isModuleInfo()) {
        owner.put(f.pkg(), f.module());
      }
    }
    assertThat(Modules.INTEGRATIONS.keySet())
        .as("integration modules listed in Modules.INTEGRATIONS that have no sources")
        .allSatisfy(dir -> assertThat(owner).containsValue(dir));
    List<String> violations = new ArrayList<>();
    for (SourceFile f : sources) {
      List<String> uses = Modules.INTEGRATIONS.get(f.module());
      if (!f.main() || uses == null) {
        continue;
      }
      for (String pkg : f.referencedPackages()) {
        String module = owner.get(pkg);
        if (module == null || module.equals(f.module()) || uses.contains(module)
            || uses.stream().filter(u -> !u.contains("/"))
                .anyMatch(u -> Modules.named(u).dir().equals(module))) {
          continue;
        }
        violations.add(root.relativize(f.path()) + " names " + pkg + " of " + module);
      }
    }
    assertThat(violations)
        .as("imports from an integration into a module it may not use (Modules.INTEGRATIONS)")
        .isEmpty();
  }
}
