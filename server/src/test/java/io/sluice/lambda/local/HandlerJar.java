package io.sluice.lambda.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds a handler jar at test time, as a user would: Java sources compiled against the test classpath
 * (where {@code aws-lambda-java-core} is), and the command that runs it through AWS's Java runtime
 * interface client in a child JVM (the test's own {@code java.home}).
 */
final class HandlerJar {
    private HandlerJar() {}

    /** Compiles {@code sources} (class name to source) into {@code dir/handler.jar}. */
    static Path build(Path dir, Map<String, String> sources) throws IOException {
        Path src = Files.createDirectories(dir.resolve("src"));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = src.resolve(source.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = Stream.concat(
                        Stream.of("-d", classes.toString(), "-cp", System.getProperty("java.class.path")),
                        sources.keySet().stream()
                                .map(name -> src.resolve(name.replace('.', '/') + ".java")
                                        .toString()))
                .toList();
        assertThat(javac.run(null, null, null, args.toArray(String[]::new)))
                .as("javac exit code")
                .isZero();
        Path jar = dir.resolve("handler.jar");
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file);
                Stream<Path> files = Files.walk(classes)) {
            files.filter(Files::isRegularFile).forEach(classFile -> {
                try {
                    out.putNextEntry(new JarEntry(
                            classes.relativize(classFile).toString().replace('\\', '/')));
                    Files.copy(classFile, out);
                    out.closeEntry();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return jar;
    }

    /**
     * {@code java -cp <jar>:<runtime interface client jars> …AWSLambda <handler>}: the client's jars are
     * those of the test classpath named {@code aws-lambda-java-*}, with the SDK's {@code utils-lite} it
     * needs.
     */
    static List<String> ricCommand(Path jar, String handler) {
        String clientJars = Stream.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(entry -> {
                    String name = Path.of(entry).getFileName().toString();
                    return name.startsWith("aws-lambda-java-") || name.startsWith("utils-lite-");
                })
                .reduce((a, b) -> a + java.io.File.pathSeparator + b)
                .orElseThrow(() -> new IllegalStateException("no runtime interface client on the test classpath"));
        return List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Xmx256m",
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                jar + java.io.File.pathSeparator + clientJars,
                "com.amazonaws.services.lambda.runtime.api.client.AWSLambda",
                handler);
    }
}
