package dev.haps.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The public API of one module as text: the packages its {@code module-info} exports to everyone,
 * and in them every type a user can see (public, or protected inside such a type) with its
 * supertypes, permitted subtypes and each public or protected constructor, method and field,
 * with generic signatures. One line per element, sorted, so that a diff of two listings names
 * exactly what changed. Compile-time constant values are not listed.
 */
final class ApiListing {

  private ApiListing() {}

  /**
   * Lists the API of the module that holds a class.
   *
   * @param anchor any class of the module (its code source is the module's classes or jar)
   * @return the listing, one element per line, ending with a newline
   */
  static String of(Class<?> anchor) {
    Path location;
    try {
      location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("code source of " + anchor, e);
    }
    ModuleDescriptor descriptor = descriptor(location);
    Set<String> exported = new TreeSet<>();
    for (ModuleDescriptor.Exports e : descriptor.exports()) {
      if (!e.isQualified()) {
        exported.add(e.source());
      }
    }
    StringBuilder out = new StringBuilder();
    out.append("module ").append(descriptor.name()).append('\n');
    for (String p : exported) {
      out.append("  exports ").append(p).append('\n');
    }
    TreeMap<String, List<String>> types = new TreeMap<>();
    for (String name : classNames(location)) {
      String pkg = name.substring(0, name.lastIndexOf('.'));
      if (!exported.contains(pkg)) {
        continue;
      }
      Class<?> c;
      try {
        c = Class.forName(name, false, anchor.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException("listed but not loadable: " + name, e);
      }
      if (visible(c)) {
        types.put(c.getName(), describe(c));
      }
    }
    types.forEach((name, lines) -> {
      out.append('\n');
      lines.forEach(l -> out.append(l).append('\n'));
    });
    return out.toString();
  }

  private static boolean visible(Class<?> c) {
    if (c.isSynthetic() || c.isAnonymousClass() || c.isLocalClass()) {
      return false;
    }
    int m = c.getModifiers();
    if (c.getEnclosingClass() == null) {
      return Modifier.isPublic(m);
    }
    Class<?> outer = c.getEnclosingClass();
    // A protected member type is visible to subclasses only where its outer type can be extended.
    return (Modifier.isPublic(m) || (Modifier.isProtected(m) && !Modifier.isFinal(outer
        .getModifiers()))) && visible(outer);
  }

  private static List<String> describe(Class<?> c) {
    List<String> lines = new ArrayList<>();
    StringBuilder head = new StringBuilder();
    head.append(annotations(c.getDeclaredAnnotations()));
    head.append(typeModifiers(c)).append(kind(c)).append(' ').append(c.getName());
    head.append(typeParameters(c.getTypeParameters()));
    Type sup = c.getGenericSuperclass();
    if (sup != null && !c.isInterface() && sup != Object.class && sup != Record.class
        && !(c.isEnum() && c.getSuperclass() == Enum.class)) {
      head.append(" extends ").append(sup.getTypeName());
    }
    String interfaces = Arrays.stream(c.getGenericInterfaces()).map(Type::getTypeName).sorted()
        .collect(Collectors.joining(", "));
    if (!interfaces.isEmpty()) {
      head.append(c.isInterface() ? " extends " : " implements ").append(interfaces);
    }
    if (c.isSealed()) {
      head.append(" permits ").append(Arrays.stream(c.getPermittedSubclasses())
          .map(Class::getName).sorted().collect(Collectors.joining(", ")));
    }
    lines.add(head.toString());
    List<String> members = new ArrayList<>();
    // Protected members matter only where a user can subclass.
    boolean canExtend = !Modifier.isFinal(c.getModifiers()) && !c.isEnum() && !c.isRecord();
    for (Field f : c.getDeclaredFields()) {
      if (shown(f, canExtend)) {
        members.add("  " + annotations(f.getDeclaredAnnotations())
            + (f.isEnumConstant() ? "enum-constant " + f.getName()
                : "field " + modifiers(f.getModifiers()) + f.getGenericType().getTypeName() + " "
                    + f.getName()));
      }
    }
    for (Constructor<?> k : c.getDeclaredConstructors()) {
      if (shown(k, canExtend) && !c.isEnum()) {
        members.add("  " + annotations(k.getDeclaredAnnotations()) + "constructor "
            + modifiers(k.getModifiers()) + typeParameters(k.getTypeParameters())
            + (k.getTypeParameters().length > 0 ? " " : "") + "(" + parameters(k) + ")"
            + exceptions(k));
      }
    }
    for (Method m : c.getDeclaredMethods()) {
      if (shown(m, canExtend) && !m.isBridge()) {
        String mods = modifiers(m.getModifiers() & ~(c.isInterface() ? Modifier.ABSTRACT : 0));
        members.add("  " + annotations(m.getDeclaredAnnotations()) + "method "
            + (m.isDefault() ? "default " : "") + mods
            + typeParameters(m.getTypeParameters())
            + (m.getTypeParameters().length > 0 ? " " : "")
            + m.getGenericReturnType().getTypeName() + " " + m.getName() + "(" + parameters(m)
            + ")" + exceptions(m));
      }
    }
    members.sort(null);
    lines.addAll(members);
    return lines;
  }

  private static boolean shown(Member m, boolean canExtend) {
    int mod = m.getModifiers();
    return !m.isSynthetic() && (Modifier.isPublic(mod) || (canExtend && Modifier.isProtected(mod)));
  }

  private static String kind(Class<?> c) {
    if (c.isAnnotation()) {
      return "@interface";
    }
    if (c.isInterface()) {
      return "interface";
    }
    if (c.isEnum()) {
      return "enum";
    }
    if (c.isRecord()) {
      return "record";
    }
    return "class";
  }

  private static String typeModifiers(Class<?> c) {
    int m = c.getModifiers();
    if (c.isInterface()) {
      m &= ~(Modifier.ABSTRACT | Modifier.STATIC);
    }
    if (c.isEnum() || c.isRecord()) {
      m &= ~(Modifier.FINAL | Modifier.STATIC);
    }
    String s = modifiers(m);
    boolean sealedParent = (c.getSuperclass() != null && c.getSuperclass().isSealed())
        || Arrays.stream(c.getInterfaces()).anyMatch(Class::isSealed);
    if (c.isSealed()) {
      s += "sealed ";
    } else if (sealedParent && !Modifier.isFinal(c.getModifiers())) {
      s += "non-sealed ";
    }
    return s;
  }

  private static String modifiers(int m) {
    String s = Modifier.toString(m & (Modifier.PUBLIC | Modifier.PROTECTED | Modifier.STATIC
        | Modifier.FINAL | Modifier.ABSTRACT));
    return s.isEmpty() ? "" : s + " ";
  }

  private static String typeParameters(TypeVariable<?>[] vars) {
    if (vars.length == 0) {
      return "";
    }
    List<String> out = new ArrayList<>();
    for (TypeVariable<?> v : vars) {
      Type[] bounds = v.getBounds();
      boolean plain = bounds.length == 1 && bounds[0] == Object.class;
      out.add(v.getName() + (plain ? "" : " extends " + Arrays.stream(bounds)
          .map(Type::getTypeName).collect(Collectors.joining(" & "))));
    }
    return "<" + String.join(", ", out) + ">";
  }

  private static String parameters(Executable e) {
    Type[] types = e.getGenericParameterTypes();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < types.length; i++) {
      String t = types[i].getTypeName();
      if (e.isVarArgs() && i == types.length - 1 && t.endsWith("[]")) {
        t = t.substring(0, t.length() - 2) + "...";
      }
      out.add(t);
    }
    return String.join(", ", out);
  }

  private static String exceptions(Executable e) {
    Type[] types = e.getGenericExceptionTypes();
    return types.length == 0 ? "" : " throws " + Arrays.stream(types).map(Type::getTypeName)
        .sorted().collect(Collectors.joining(", "));
  }

  private static String annotations(Annotation[] annotations) {
    // Deprecation is part of the contract; other runtime annotations are not listed.
    for (Annotation a : annotations) {
      if (a instanceof Deprecated) {
        return "@Deprecated ";
      }
    }
    return "";
  }

  private static ModuleDescriptor descriptor(Path location) {
    try {
      if (Files.isDirectory(location)) {
        try (InputStream in = Files.newInputStream(location.resolve("module-info.class"))) {
          return ModuleDescriptor.read(in);
        }
      }
      try (JarFile jar = new JarFile(location.toFile())) {
        JarEntry e = jar.getJarEntry("module-info.class");
        if (e == null) {
          throw new IllegalStateException(location + " has no module-info.class");
        }
        try (InputStream in = jar.getInputStream(e)) {
          return ModuleDescriptor.read(in);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading the module descriptor in " + location, e);
    }
  }

  private static List<String> classNames(Path location) {
    List<String> names = new ArrayList<>();
    try {
      if (Files.isDirectory(location)) {
        try (Stream<Path> s = Files.walk(location)) {
          s.map(p -> location.relativize(p).toString().replace('\\', '/'))
              .filter(ApiListing::isClassFile).forEach(n -> names.add(toClassName(n)));
        }
      } else {
        try (JarFile jar = new JarFile(location.toFile())) {
          Enumeration<JarEntry> en = jar.entries();
          while (en.hasMoreElements()) {
            String n = en.nextElement().getName();
            if (isClassFile(n)) {
              names.add(toClassName(n));
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("listing classes in " + location, e);
    }
    names.sort(null);
    return names;
  }

  private static boolean isClassFile(String n) {
    return n.endsWith(".class") && !n.endsWith("module-info.class")
        && !n.endsWith("package-info.class") && !n.startsWith("META-INF/");
  }

  private static String toClassName(String n) {
    return n.substring(0, n.length() - ".class".length()).replace('/', '.');
  }
}
