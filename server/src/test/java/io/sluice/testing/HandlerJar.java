package io.sluice.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds a handler jar at test time, as a user would: Java sources compiled against the test classpath
 * (where {@code aws-lambda-java-core} is), and the command that runs it through AWS's Java runtime
 * interface client in a child JVM (the test's own {@code java.home}).
 */
public final class HandlerJar {
    private static final String NATIVE_CLIENT = "libaws-lambda-jni.so";
    private static final String NATIVE_CLIENT_PROPERTY =
            "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";

    private HandlerJar() {}

    private static Stream<Path> classpath() {
        return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(Path::of);
    }

    /** Compiles {@code sources} (class name to source) into {@code dir/handler.jar}. */
    public static Path build(Path dir, Map<String, String> sources) throws IOException {
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
        extractNativeClient(jar.resolveSibling(NATIVE_CLIENT));
        return jar;
    }

    /**
     * The client's native layer, from its jar. Left to itself, each client process writes it to the same
     * {@code /tmp/.libaws-lambda-jni.so} as it starts, and processes starting together crash (SIGBUS)
     * loading a file another is rewriting; given a path in {@link #NATIVE_CLIENT_PROPERTY}, it loads that.
     */
    private static void extractNativeClient(Path target) throws IOException {
        String arch = System.getProperty("os.arch").equals("aarch64") ? "aarch_64" : "x86_64";
        String entry = "jni/libaws-lambda-jni.linux-" + arch + ".so";
        Path clientJar = classpath()
                .filter(path -> path.getFileName().toString().startsWith("aws-lambda-java-runtime-interface-client-"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no runtime interface client on the test classpath"));
        try (JarFile jar = new JarFile(clientJar.toFile());
                InputStream in = jar.getInputStream(jar.getJarEntry(entry))) {
            Files.copy(in, target);
        }
    }

    /**
     * {@code java -cp <jar>:<runtime interface client jars> …AWSLambda <handler>}: the client's jars are
     * those of the test classpath named {@code aws-lambda-java-*}, with the SDK's {@code utils-lite} it
     * needs.
     */
    public static List<String> ricCommand(Path jar, String handler) {
        String clientJars = classpath()
                .filter(path -> {
                    String name = path.getFileName().toString();
                    return name.startsWith("aws-lambda-java-") || name.startsWith("utils-lite-");
                })
                .map(Path::toString)
                .reduce((a, b) -> a + File.pathSeparator + b)
                .orElseThrow(() -> new IllegalStateException("no runtime interface client on the test classpath"));
        return List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Xmx256m",
                "--enable-native-access=ALL-UNNAMED",
                "-D" + NATIVE_CLIENT_PROPERTY + "=" + jar.resolveSibling(NATIVE_CLIENT),
                "-cp",
                jar + File.pathSeparator + clientJars,
                "com.amazonaws.services.lambda.runtime.api.client.AWSLambda",
                handler);
    }
}
