package org.snakemq.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;

/**
 * Every {@code java} code block of the README compiles against the real API, so the README cannot
 * rot. A block that declares types is compiled as a source file; any other block is compiled as the
 * body of a method. Both get the imports a reader would add.
 */
class ReadmeSnippetsTest {

    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern TYPE_DECLARATION = Pattern.compile(
            "^(?:@\\w+(?:\\([^)]*\\))?\\s+)*(?:public\\s+|final\\s+|abstract\\s+)*(class|interface|record|enum)\\s+(\\w+)",
            Pattern.MULTILINE);

    private static final String IMPORTS = """
            import java.net.InetSocketAddress;
            import java.nio.file.Path;
            import java.time.Duration;
            import java.util.*;
            import java.util.concurrent.*;
            import org.snakemq.link.*;
            import org.snakemq.packeter.*;
            import org.snakemq.messaging.*;
            import org.snakemq.message.*;
            import org.snakemq.storage.*;
            import org.snakemq.throttle.*;
            import org.snakemq.rpc.*;
            import org.snakemq.delivery.*;
            import org.springframework.context.event.EventListener;
            import org.springframework.stereotype.Component;
            import org.springframework.stereotype.Service;
            """;

    private static final String OPTIONAL_IMPORTS_PREFIX = "import org.snakemq.spring.*;\n"
            + "import org.springframework.messaging.handler.annotation.Header;\n";

    @Test
    void everyJavaSnippetInTheReadmeCompiles() throws IOException {
        Path readme = findReadme();
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        List<JavaFileObject> sources = new ArrayList<>();
        Matcher block = JAVA_BLOCK.matcher(text);
        int index = 0;
        while (block.find()) {
            sources.add(toSource(block.group(1), index++));
        }
        assertThat(sources).as("java snippets in " + readme).isNotEmpty();

        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Path out = Files.createTempDirectory("readme-snippets");
        List<String> options = List.of("-classpath", System.getProperty("java.class.path"), "-d", out.toString(),
                "-proc:none", "-parameters");
        boolean ok = compiler.getTask(null, null, diagnostics, options, null, sources).call();
        List<String> errors = diagnostics.getDiagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(d -> d.getSource().getName() + ":" + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT))
                .toList();
        assertThat(errors).as("compile errors in README snippets").isEmpty();
        assertThat(ok).isTrue();
    }

    /**
     * Every {@code yaml} block binds to the starter's real properties: a misspelt or removed key
     * under {@code snakemq} fails the build.
     */
    @Test
    void everyYamlSnippetInTheReadmeBindsToTheStarterProperties() throws IOException {
        String text = Files.readString(findReadme(), StandardCharsets.UTF_8);
        Matcher block = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(text);
        int count = 0;
        while (block.find()) {
            count++;
            org.springframework.core.io.ByteArrayResource yaml = new org.springframework.core.io.ByteArrayResource(
                    block.group(1).getBytes(StandardCharsets.UTF_8), "README yaml block " + count);
            List<org.springframework.core.env.PropertySource<?>> sources =
                    new org.springframework.boot.env.YamlPropertySourceLoader().load("readme-" + count, yaml);
            org.springframework.boot.context.properties.bind.Binder binder =
                    new org.springframework.boot.context.properties.bind.Binder(
                            org.springframework.boot.context.properties.source.ConfigurationPropertySources.from(sources));
            org.snakemq.autoconfigure.SnakeMqProperties properties = binder.bind("snakemq",
                    org.springframework.boot.context.properties.bind.Bindable.of(
                            org.snakemq.autoconfigure.SnakeMqProperties.class),
                    new org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler(
                            org.springframework.boot.context.properties.bind.BindHandler.DEFAULT))
                    .orElseThrow(() -> new AssertionError("README yaml block has no snakemq section"));
            assertThat(properties.getIdentity()).as("snakemq.identity in README yaml block").isNotBlank();
        }
        assertThat(count).as("yaml snippets in the README").isPositive();
    }

    private static JavaFileObject toSource(String snippet, int index) {
        String imports = IMPORTS + (starterApiPresent() ? OPTIONAL_IMPORTS_PREFIX : "");
        Matcher type = TYPE_DECLARATION.matcher(snippet);
        String code;
        String name;
        if (type.find()) {
            // a declaration snippet: its types become package-private members of one file
            name = "ReadmeSnippet" + index;
            String declarations = snippet.replaceAll("(?m)^public\\s+(?=(final\\s+|abstract\\s+)*(class|interface|record|enum))", "");
            code = "package readme;\n" + imports + declarations + "\nclass " + name + " {}\n";
        } else {
            name = "ReadmeSnippet" + index;
            code = "package readme;\n" + imports + "class " + name + " {\n  void run() throws Exception {\n"
                    + snippet + "\n  }\n}\n";
        }
        return new SimpleJavaFileObject(URI.create("string:///readme/" + name + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return code;
            }
        };
    }

    private static boolean starterApiPresent() {
        try {
            Class.forName("org.snakemq.spring.SnakeRpc");
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static Path findReadme() {
        Path dir = Path.of("").toAbsolutePath();
        for (int i = 0; i < 4 && dir != null; i++, dir = dir.getParent()) {
            Path candidate = dir.resolve("README.md");
            if (Files.exists(candidate) && Files.exists(dir.resolve("snakemq-core"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("README.md of the project not found above " + Path.of("").toAbsolutePath());
    }
}
