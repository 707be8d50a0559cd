package org.snakemq.it.aot;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.GeneratedFiles;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.annotation.AnnotationConfigUtils;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.javapoet.ClassName;

/**
 * Ahead-of-time processing as a build does it: the application's context is refreshed for AOT
 * processing, its bean definitions are written as Java code, the code is compiled, and a fresh
 * context is started from the compiled initializer alone (no configuration classes parsed, no
 * classpath scanned, no bean factory post-processor re-registering), as in a native image.
 */
final class AotContexts {

    private AotContexts() {
    }

    /** What AOT processing produced. */
    record Processed(RuntimeHints hints, InMemoryGeneratedFiles files, ClassName initializer,
                     Map<String, Object> properties) {

        /** The generated code of one class, e.g. to see what a bean definition became. */
        String source(String className) throws IOException {
            return files.getGeneratedFileContent(GeneratedFiles.Kind.SOURCE, className.replace('.', '/') + ".java");
        }

        /**
         * Compiles the generated code into {@code dir}, defines its classes next to the classes they
         * belong to (same package, same class loader, so package-private members stay reachable) and
         * starts a context from the initializer, with {@code spring.aot.enabled=true} as a native
         * image has it. The caller closes the context.
         */
        GenericApplicationContext start(Path dir) throws Exception {
            Path sources = dir.resolve("sources");
            Path classes = dir.resolve("classes");
            Files.createDirectories(classes);
            List<String> arguments = new ArrayList<>(List.of("-d", classes.toString(), "-proc:none", "-parameters",
                    "-classpath", System.getProperty("java.class.path")));
            for (Map.Entry<String, org.springframework.core.io.InputStreamSource> file
                    : files.getGeneratedFiles(GeneratedFiles.Kind.SOURCE).entrySet()) {
                Path path = sources.resolve(file.getKey());
                Files.createDirectories(path.getParent());
                try (InputStream in = file.getValue().getInputStream()) {
                    Files.copy(in, path);
                }
                arguments.add(path.toString());
            }
            JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
            int status = compiler.run(null, null, null, arguments.toArray(String[]::new));
            if (status != 0) {
                throw new IllegalStateException("the generated code does not compile (status " + status + ")");
            }
            defineAll(classes);
            String previous = System.setProperty("spring.aot.enabled", "true");
            try {
                GenericApplicationContext context = new GenericApplicationContext();
                context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test", properties));
                @SuppressWarnings("unchecked")
                ApplicationContextInitializer<GenericApplicationContext> init =
                        (ApplicationContextInitializer<GenericApplicationContext>) Class
                                .forName(initializer.reflectionName()).getDeclaredConstructor().newInstance();
                init.initialize(context);
                context.refresh();
                return context;
            } finally {
                if (previous == null) {
                    System.clearProperty("spring.aot.enabled");
                } else {
                    System.setProperty("spring.aot.enabled", previous);
                }
            }
        }
    }

    /** Refreshes {@code application} for AOT processing with these properties and generates its code. */
    static Processed process(Class<?> application, Map<String, Object> properties) {
        GenericApplicationContext context = new GenericApplicationContext();
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test", properties));
        AnnotationConfigUtils.registerAnnotationConfigProcessors(context);
        context.registerBean(application);
        InMemoryGeneratedFiles files = new InMemoryGeneratedFiles();
        DefaultGenerationContext generation = new DefaultGenerationContext(
                new ClassNameGenerator(ClassName.get(application)), files);
        ClassName initializer = new ApplicationContextAotGenerator().processAheadOfTime(context, generation);
        generation.writeGeneratedContent();
        return new Processed(generation.getRuntimeHints(), files, initializer, properties);
    }

    /**
     * Defines every compiled class through a lookup in a class of its package; a class whose
     * dependencies are not defined yet is tried again after the others.
     */
    private static void defineAll(Path classes) throws Exception {
        Map<String, byte[]> pending = new HashMap<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                pending.put(name, Files.readAllBytes(file));
            }
        }
        Map<String, Class<?>> anchors = new HashMap<>();
        while (!pending.isEmpty()) {
            int before = pending.size();
            LinkageError last = null;
            for (String name : new ArrayList<>(pending.keySet())) {
                String packageName = name.substring(0, name.lastIndexOf('.'));
                Class<?> anchor = anchors.computeIfAbsent(packageName, p -> anchor(name));
                try {
                    Class<?> defined = MethodHandles.privateLookupIn(anchor, MethodHandles.lookup())
                            .defineClass(pending.get(name));
                    anchors.putIfAbsent(packageName, defined);
                    pending.remove(name);
                } catch (LinkageError e) {
                    last = e;
                }
            }
            if (pending.size() == before) {
                throw new IllegalStateException("cannot define " + pending.keySet(), last);
            }
        }
    }

    /** An existing class of the generated class's package: the one it was generated for. */
    private static Class<?> anchor(String generatedName) {
        String simple = generatedName.substring(generatedName.lastIndexOf('.') + 1);
        String base = simple.split("__")[0].split("\\$")[0];
        String candidate = generatedName.substring(0, generatedName.lastIndexOf('.') + 1) + base;
        try {
            return Class.forName(candidate);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("no class " + candidate + " to define " + generatedName + " beside", e);
        }
    }
}
