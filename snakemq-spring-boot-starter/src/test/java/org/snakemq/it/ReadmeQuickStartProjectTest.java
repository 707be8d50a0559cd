package org.snakemq.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import org.snakemq.testing.Readme;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The consumer project that the build runs through maven-invoker-plugin ({@code src/it/quickstart})
 * is the README's Spring Boot quick start, word for word: its dependencies, its application.yml and
 * every Java snippet, so that the invoker build proves the quick start builds and runs as written.
 */
class ReadmeQuickStartProjectTest {

    private static final String SECTION = "Quick start: Spring Boot";
    private static final Path PROJECT = Path.of("src/it/quickstart");
    private static final Path EPOLL_PROJECT = Path.of("src/it/quickstart-epoll");

    @Test
    void theProjectDependsOnTheStarterAsTheReadmeSays() throws IOException {
        List<String> xml = Readme.blocks(Readme.section(SECTION), "xml");
        assertThat(xml).as("xml blocks of the quick start").isNotEmpty();
        String pom = normalized(Files.readString(PROJECT.resolve("pom.xml")));
        assertThat(pom).contains(normalized(xml.get(0)));
        assertThat(xml.get(0)).contains("<version>" + projectVersion() + "</version>");
        assertThat(pom).contains("<artifactId>spring-boot-starter-parent</artifactId>")
                .doesNotContain("snakemq-parent");
    }

    @Test
    void theProjectsApplicationYmlIsTheReadmes() throws IOException {
        List<String> yaml = Readme.blocks(Readme.section(SECTION), "yaml");
        assertThat(yaml).hasSize(1);
        assertThat(Files.readString(PROJECT.resolve("src/main/resources/application.yml"))).isEqualTo(yaml.get(0));
    }

    @Test
    void everyJavaSnippetOfTheQuickStartIsASourceOfTheProject() throws IOException {
        List<String> java = Readme.blocks(Readme.section(SECTION), "java");
        assertThat(java).as("java blocks of the quick start").hasSizeGreaterThanOrEqualTo(3);
        String sources;
        try (Stream<Path> files = Files.walk(PROJECT.resolve("src/main/java"))) {
            sources = files.filter(f -> f.toString().endsWith(".java")).sorted().map(ReadmeQuickStartProjectTest::read)
                    .collect(Collectors.joining("\n"));
        }
        for (String snippet : java) {
            assertThat(sources).contains(snippet);
        }
    }

    @Test
    void theEpollProjectAddsTheReadmesNativeDependency() throws IOException {
        List<String> xml = Readme.blocks(Readme.section(SECTION), "xml");
        assertThat(xml).as("the quick start's native transport block").hasSizeGreaterThanOrEqualTo(2);
        String nativeBlock = xml.get(1).replaceAll("\\s*<!--.*?-->", "");
        String pom = normalized(Files.readString(EPOLL_PROJECT.resolve("pom.xml")));
        assertThat(pom).contains(normalized(nativeBlock));
    }

    private static String projectVersion() throws IOException {
        Matcher version = Pattern.compile("<parent>.*?<version>(.*?)</version>", Pattern.DOTALL)
                .matcher(Files.readString(Path.of("pom.xml")));
        assertThat(version.find()).isTrue();
        return version.group(1);
    }

    /** Lines trimmed and joined, so indentation does not matter. */
    private static String normalized(String text) {
        return text.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.joining("\n"));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
