package org.snakemq.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import org.snakemq.testing.Readme;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The consumer project that the build runs through maven-invoker-plugin ({@code src/it/greeter})
 * holds the README's "Testing an application" word for word: the dependency and both Java blocks,
 * so that the invoker build proves the complete test in the README passes as written.
 */
class ReadmeTestKitProjectTest {

    private static final String SECTION = "Testing an application";
    private static final Path PROJECT = Path.of("src/it/greeter");

    @Test
    void theProjectDependsOnTheTestKitAsTheReadmeSays() throws IOException {
        List<String> xml = Readme.blocks(Readme.section(SECTION), "xml");
        assertThat(xml).hasSize(1);
        String pom = normalized(Files.readString(PROJECT.resolve("pom.xml")));
        assertThat(pom).contains(normalized(xml.get(0)))
                .contains("<artifactId>spring-boot-starter-parent</artifactId>").doesNotContain("snakemq-parent");
    }

    @Test
    void theReadmesApplicationCodeAndTestAreSourcesOfTheProject() throws IOException {
        List<String> java = Readme.blocks(Readme.section(SECTION), "java");
        assertThat(java).hasSize(2);
        assertThat(sources("src/main/java")).contains(java.get(0));
        assertThat(sources("src/test/java")).contains(java.get(1));
    }

    private static String sources(String dir) throws IOException {
        try (Stream<Path> files = Files.walk(PROJECT.resolve(dir))) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().map(ReadmeTestKitProjectTest::read)
                    .collect(Collectors.joining("\n"));
        }
    }

    private static String normalized(String xml) {
        return xml.replaceAll("\\s+", " ").trim();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
