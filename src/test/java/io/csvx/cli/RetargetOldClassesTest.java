package io.csvx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/// The build step `src/build/RetargetOldClasses.java` (run as Maven runs it, on a copy of
/// picocli's jar): every class comes out as a Java 8 class file that the JVM verifies and links
/// (its stack maps are right), and picocli works from it.
class RetargetOldClassesTest {
    @TempDir
    Path dir;

    @Test
    void picocliComesOutAsJava8ClassesThatVerifyAndParse() throws Exception {
        Path original = Path.of(CommandLine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path jar = Files.copy(original, dir.resolve("picocli.jar"));
        assertThat(run(jar)).contains("228 classes now class file version 52");
        byte[] once = Files.readAllBytes(jar);
        assertThat(run(jar)).isEmpty(); // again: nothing to do, and nothing said
        assertThat(Files.readAllBytes(jar)).isEqualTo(once);

        List<String> names = new ArrayList<>();
        try (JarFile in = new JarFile(jar.toFile()); JarFile before = new JarFile(original.toFile())) {
            assertThat(Collections.list(in.entries()).stream().map(JarEntry::getName))
                    .containsExactlyElementsOf(Collections.list(before.entries()).stream().map(JarEntry::getName).toList());
            for (JarEntry e : Collections.list(in.entries())) {
                if (e.getName().endsWith(".class") && !e.getName().contains("-info")) {
                    try (InputStream is = in.getInputStream(e); DataInputStream data = new DataInputStream(is)) {
                        assertThat(data.readInt()).isEqualTo(0xCAFEBABE);
                        data.readUnsignedShort();
                        assertThat(data.readUnsignedShort()).as(e.getName()).isGreaterThanOrEqualTo(52);
                    }
                    names.add(e.getName().replace('/', '.').substring(0, e.getName().length() - ".class".length()));
                }
            }
        }
        // a class loader of its own (the JVM verifies what it loads) that sees only the rewritten jar
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            for (String name : names) {
                Class.forName(name, true, loader); // initialised, so linked: every method verified
            }
            // a command with one option, built and parsed through the rewritten classes
            Class<?> line = Class.forName("picocli.CommandLine", true, loader);
            Class<?> spec = Class.forName("picocli.CommandLine$Model$CommandSpec", true, loader);
            Class<?> option = Class.forName("picocli.CommandLine$Model$OptionSpec", true, loader);
            Object command = spec.getMethod("create").invoke(null);
            Object builder = option.getMethod("builder", String.class, String[].class).invoke(null, "--rows",
                    new String[0]);
            java.lang.reflect.Method type = builder.getClass().getMethod("type", Class.class);
            type.setAccessible(true); // declared by a builder class picocli does not make public
            type.invoke(builder, int.class);
            java.lang.reflect.Method build = builder.getClass().getMethod("build");
            build.setAccessible(true);
            spec.getMethod("addOption", option).invoke(command, build.invoke(builder));
            Object parsed = line.getMethod("parseArgs", String[].class).invoke(
                    line.getConstructor(Object.class).newInstance(command), (Object) new String[] {"--rows", "42"});
            assertThat(parsed.getClass().getMethod("matchedOptionValue", String.class, Object.class)
                    .invoke(parsed, "--rows", 0)).isEqualTo(42);
        }
    }

    /// Runs the build step on `jar` with this JVM's `java`, as the pom does; answers what it printed.
    private static String run(Path jar) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), Path.of("src/build/RetargetOldClasses.java").toString(),
                jar.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
