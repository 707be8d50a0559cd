package org.snakemq;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import org.snakemq.link.Link;

/**
 * The public API of snakemq-core, every public or protected type and member, is listed in
 * {@code snakemq-core/api/snakemq-core.api}; this test fails when the compiled classes say otherwise, so
 * that a change to the API is a visible diff in review. After a change on purpose, regenerate the
 * listing with {@value #REGENERATE} and commit it with the change.
 */
class PublicApiTest {

    static final String UPDATE_PROPERTY = "snakemq.api.update";
    static final String REGENERATE =
            "./mvnw -q -pl snakemq-core test -Dtest=PublicApiTest -D" + UPDATE_PROPERTY + "=true";
    static final Path LISTING = Path.of(System.getProperty("basedir", ".")).resolve("api/snakemq-core.api");

    @Test
    void publicApiMatchesTheCommittedListing() throws Exception {
        List<String> actual = listing();
        if (Boolean.getBoolean(UPDATE_PROPERTY)) {
            Files.createDirectories(LISTING.getParent());
            Files.write(LISTING, actual, StandardCharsets.UTF_8);
            System.out.println("wrote " + LISTING.toAbsolutePath());
            return;
        }
        List<String> expected = Files.exists(LISTING) ? Files.readAllLines(LISTING, StandardCharsets.UTF_8) : List.of();
        assertThat(actual)
                .withFailMessage(() -> "The public API of snakemq-core differs from " + LISTING
                        + " (- listed, + compiled):\n" + ListingDiff.of(expected, actual)
                        + "\nIf the change is on purpose, regenerate the listing and commit it:\n  " + REGENERATE)
                .isEqualTo(expected);
    }

    @Test
    void listingNamesPublicTypesAndMembersButNotPackagePrivateOnes() throws Exception {
        List<String> listing = listing();
        assertThat(listing)
                .contains("public final class org.snakemq.link.Link implements org.snakemq.link.Transport, AutoCloseable",
                        "  public Link(org.snakemq.link.LinkOptions)",
                        "  public void start()",
                        "public static final enum org.snakemq.link.Connection$Side")
                .noneMatch(line -> line.contains("MAX_READ_BYTES") || line.contains("connectionUp"))
                .noneMatch(line -> line.contains("org.snakemq.link.LinkChannelHandler "));
    }

    /**
     * Words by which a class comment says who may call the type: a thread, the loop, thread safety,
     * or a value that any thread may share.
     */
    static final Pattern THREAD_WORDS =
            Pattern.compile("thread|loop|immutable|confined|synchronized", Pattern.CASE_INSENSITIVE);

    @Test
    void everyPublicTypeSaysWhichThreadCallsItOrMayCallIt() throws Exception {
        List<String> silent = new ArrayList<>();
        for (Class<?> type : apiTypes()) {
            String comment = classComment(type);
            if (comment == null || !THREAD_WORDS.matcher(comment).find()) {
                silent.add(type.getName() + (comment == null ? " (no class comment)" : ""));
            }
        }
        assertThat(silent)
                .withFailMessage(() -> "The class comment of each public type says which thread calls it or may call "
                        + "it (\"Called on the link's loop thread; do not block\", \"Thread-safe\", \"Immutable\"); "
                        + "these do not:\n  " + String.join("\n  ", silent))
                .isEmpty();
    }

    /** The Javadoc comment right before the type's declaration in its source file, or null. */
    private static String classComment(Class<?> type) throws IOException {
        Class<?> top = type;
        while (top.getDeclaringClass() != null) {
            top = top.getDeclaringClass();
        }
        Path source = LISTING.getParent().getParent().resolve("src/main/java")
                .resolve(top.getName().replace('.', '/') + ".java");
        String text = Files.readString(source, StandardCharsets.UTF_8);
        Matcher declaration = Pattern.compile("(/\\*\\*(?:(?!\\*/).)*\\*/)\\s*(?:@\\w+(?:\\([^)]*\\))?\\s*)*"
                + "(?:(?:public|protected|static|final|abstract|sealed|non-sealed)\\s+)*"
                + "(?:class|interface|record|enum|@interface)\\s+" + type.getSimpleName() + "\\b", Pattern.DOTALL)
                .matcher(text);
        return declaration.find() ? declaration.group(1) : null;
    }

    @Test
    void diffShowsEachChangedMemberUnderItsType() {
        List<String> before = List.of("# header", "", "public class a.A", "  public void kept()", "  public void gone()",
                "", "public class a.B", "  public void same()");
        List<String> after = List.of("# header", "", "public class a.A", "  public void kept()", "  public void added()",
                "", "public class a.B", "  public void same()", "", "public class a.C");

        assertThat(ListingDiff.of(before, after)).isEqualTo("""
                  public class a.A
                +   public void added()
                -   public void gone()
                + public class a.C
                """);
    }

    // ---------------------------------------------------------------- the listing

    /** One header line a type, its members indented below it; types by name, members sorted. */
    static List<String> listing() throws IOException, URISyntaxException, ClassNotFoundException {
        List<String> lines = new ArrayList<>();
        lines.add("# The public API of snakemq-core: every public or protected type and member.");
        lines.add("# Generated by PublicApiTest; after a change on purpose: " + REGENERATE);
        for (Class<?> type : apiTypes()) {
            lines.add("");
            lines.add(header(type));
            Stream.of(
                    Arrays.stream(type.getDeclaredFields()).filter(f -> !f.isSynthetic() && visible(f.getModifiers()))
                            .sorted(Comparator.comparing(Field::getName)).map(PublicApiTest::field),
                    Arrays.stream(type.getDeclaredConstructors()).filter(c -> !c.isSynthetic() && visible(c.getModifiers()))
                            .map(PublicApiTest::constructor).sorted(),
                    Arrays.stream(type.getDeclaredMethods())
                            .filter(m -> !m.isSynthetic() && !m.isBridge() && visible(m.getModifiers()))
                            .sorted(Comparator.comparing(Method::getName).thenComparing(PublicApiTest::method))
                            .map(PublicApiTest::method))
                    .flatMap(s -> s)
                    .forEach(member -> lines.add("  " + member));
        }
        return lines;
    }

    /** The core's compiled types that code outside the core can name, sorted by name. */
    private static List<Class<?>> apiTypes() throws IOException, URISyntaxException, ClassNotFoundException {
        Path classes = Path.of(Link.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> names;
        try (Stream<Path> files = Files.walk(classes)) {
            names = files.map(classes::relativize).map(Path::toString)
                    .filter(f -> f.endsWith(".class") && !f.endsWith("package-info.class") && !f.endsWith("module-info.class"))
                    .map(f -> f.substring(0, f.length() - ".class".length()).replace(java.io.File.separatorChar, '.'))
                    .sorted()
                    .toList();
        }
        List<Class<?>> types = new ArrayList<>();
        for (String name : names) {
            Class<?> type = Class.forName(name, false, PublicApiTest.class.getClassLoader());
            if (accessible(type)) {
                types.add(type);
            }
        }
        return types;
    }

    private static boolean accessible(Class<?> type) {
        if (type.isSynthetic() || type.isAnonymousClass() || type.isLocalClass()) {
            return false;
        }
        Class<?> outer = type.getDeclaringClass();
        return outer == null ? Modifier.isPublic(type.getModifiers()) : visible(type.getModifiers()) && accessible(outer);
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static String header(Class<?> type) {
        String kind = type.isAnnotation() ? "@interface" : type.isInterface() ? "interface"
                : type.isEnum() ? "enum" : type.isRecord() ? "record" : "class";
        int modifiers = type.getModifiers() & (Modifier.PUBLIC | Modifier.PROTECTED | Modifier.STATIC | Modifier.FINAL
                | (type.isInterface() ? 0 : Modifier.ABSTRACT));
        StringBuilder line = new StringBuilder(Modifier.toString(modifiers));
        if (type.isSealed()) {
            line.append(" sealed");
        }
        line.append(' ').append(kind).append(' ').append(type.getName()).append(typeParameters(type.getTypeParameters()));
        Type superclass = type.getGenericSuperclass();
        if (superclass != null && superclass != Object.class && !type.isEnum() && !type.isRecord()) {
            line.append(" extends ").append(name(superclass));
        }
        Type[] interfaces = type.getGenericInterfaces();
        if (interfaces.length > 0 && !type.isAnnotation()) {
            line.append(type.isInterface() ? " extends " : " implements ").append(names(interfaces));
        }
        if (type.isSealed()) {
            line.append(" permits ").append(Arrays.stream(type.getPermittedSubclasses()).map(Class::getName).sorted()
                    .collect(Collectors.joining(", ")));
        }
        return line.toString();
    }

    private static String field(Field field) {
        int modifiers = field.getModifiers() & (Modifier.PUBLIC | Modifier.PROTECTED | Modifier.STATIC | Modifier.FINAL);
        return Modifier.toString(modifiers) + " " + name(field.getGenericType()) + " " + field.getName();
    }

    private static String constructor(Constructor<?> constructor) {
        return Modifier.toString(constructor.getModifiers() & (Modifier.PUBLIC | Modifier.PROTECTED)) + " "
                + typeParameters(constructor.getTypeParameters()).trim()
                + (constructor.getTypeParameters().length > 0 ? " " : "")
                + constructor.getDeclaringClass().getSimpleName() + parameters(constructor);
    }

    private static String method(Method method) {
        int modifiers = method.getModifiers()
                & (Modifier.PUBLIC | Modifier.PROTECTED | Modifier.STATIC | Modifier.FINAL | Modifier.ABSTRACT);
        String head = Modifier.toString(modifiers) + (method.isDefault() ? " default" : "");
        String typeParameters = typeParameters(method.getTypeParameters()).trim();
        Object defaultValue = method.getDefaultValue();
        return head + (typeParameters.isEmpty() ? "" : " " + typeParameters) + " "
                + name(method.getGenericReturnType()) + " " + method.getName() + parameters(method)
                + (defaultValue == null ? "" : " default " + defaultValue);
    }

    private static String parameters(Executable executable) {
        Type[] types = executable.getGenericParameterTypes();
        List<String> names = Arrays.stream(types).map(PublicApiTest::name).collect(Collectors.toCollection(ArrayList::new));
        if (executable.isVarArgs() && !names.isEmpty()) {
            String last = names.remove(names.size() - 1);
            names.add(last.substring(0, last.length() - 2) + "...");
        }
        String throwing = executable.getGenericExceptionTypes().length == 0 ? ""
                : " throws " + names(executable.getGenericExceptionTypes());
        return "(" + String.join(", ", names) + ")" + throwing;
    }

    private static String typeParameters(TypeVariable<?>[] variables) {
        if (variables.length == 0) {
            return "";
        }
        return Arrays.stream(variables).map(v -> {
            Type[] bounds = v.getBounds();
            boolean onlyObject = bounds.length == 1 && bounds[0] == Object.class;
            return v.getName() + (onlyObject ? "" : " extends " + Arrays.stream(bounds).map(PublicApiTest::name)
                    .collect(Collectors.joining(" & ")));
        }).collect(Collectors.joining(", ", "<", ">"));
    }

    private static String names(Type[] types) {
        return Arrays.stream(types).map(PublicApiTest::name).collect(Collectors.joining(", "));
    }

    /** A type as source names it, {@code java.lang} left out for brevity. */
    private static String name(Type type) {
        return type.getTypeName().replaceAll("\\bjava\\.lang\\.(?=[A-Z])", "");
    }

    // ---------------------------------------------------------------- the diff

    /** The lines that differ between two listings, each under the type it belongs to. */
    static final class ListingDiff {

        static String of(List<String> expected, List<String> actual) {
            int n = expected.size();
            int m = actual.size();
            int[][] common = new int[n + 1][m + 1];
            for (int i = n - 1; i >= 0; i--) {
                for (int j = m - 1; j >= 0; j--) {
                    common[i][j] = expected.get(i).equals(actual.get(j))
                            ? common[i + 1][j + 1] + 1 : Math.max(common[i + 1][j], common[i][j + 1]);
                }
            }
            StringBuilder diff = new StringBuilder();
            String type = null;
            String printedType = null;
            int i = 0;
            int j = 0;
            while (i < n || j < m) {
                String sign;
                String line;
                if (i < n && j < m && expected.get(i).equals(actual.get(j))) {
                    line = expected.get(i++);
                    j++;
                    sign = null;
                } else if (j < m && (i == n || common[i][j + 1] >= common[i + 1][j])) {
                    line = actual.get(j++);
                    sign = "+";
                } else {
                    line = expected.get(i++);
                    sign = "-";
                }
                boolean isType = !line.isEmpty() && !line.startsWith(" ") && !line.startsWith("#");
                if (isType) {
                    type = line;
                }
                if (sign == null || line.isEmpty()) {
                    continue;
                }
                if (isType) {
                    printedType = line;
                } else if (type != null && !type.equals(printedType)) {
                    diff.append("  ").append(type).append('\n');
                    printedType = type;
                }
                diff.append(sign).append(' ').append(line).append('\n');
            }
            return diff.toString();
        }

        private ListingDiff() {
        }
    }
}
