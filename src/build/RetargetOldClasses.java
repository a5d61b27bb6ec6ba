import java.io.IOException;
import java.io.OutputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/// Build step (run by Maven at `package`, as a source file): rewrites the class files older than
/// Java 6 (version 49 and below) in the jars named as Java 8 class files (version 52), with the
/// stack maps that version needs, computed by the JDK's Class-File API; the code itself is
/// unchanged. The JDK's ahead-of-time cache leaves out a class of version 49 or below once it
/// has been linked ("Old class has been linked"), so picocli, compiled for Java 5, was read,
/// verified and run cold at every `csvx` start (~0.1 s). Only the jars named are touched (the
/// pom names picocli's, whose classes need nothing but the JDK and each other to compute their
/// stack maps); one with nothing that old is left as it is, so running this again changes nothing.
///
/// Usage: `java src/build/RetargetOldClasses.java JAR...`
public final class RetargetOldClasses {
    static final int OLDEST_KEPT = 50;
    static final int TARGET = 52;

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: java RetargetOldClasses.java JAR...");
            System.exit(2);
        }
        for (String name : args) {
            Path jar = Path.of(name);
            int n = retarget(jar);
            if (n > 0) { // silent when there was nothing to do (a build that copied no new jar)
                System.out.println("RetargetOldClasses: " + jar.getFileName() + ": " + n
                        + " classes now class file version " + TARGET);
            }
        }
    }

    /// Rewrites `jar` in place when it holds old classes; answers how many it rewrote.
    static int retarget(Path jar) throws IOException {
        Map<JarEntry, byte[]> entries = new LinkedHashMap<>();
        try (JarFile in = new JarFile(jar.toFile())) {
            for (JarEntry e : Collections.list(in.entries())) {
                entries.put(e, in.getInputStream(e).readAllBytes());
            }
        }
        if (entries.entrySet().stream().noneMatch(e -> isOld(e.getKey(), e.getValue()))) {
            return 0;
        }
        // the jar's own classes answer what the stack maps need of its class hierarchy
        Path tmp = Files.createTempFile(jar.getParent(), jar.getFileName().toString(), ".tmp");
        int n = 0;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
             OutputStream os = Files.newOutputStream(tmp); JarOutputStream out = new JarOutputStream(os)) {
            ClassFile cf = ClassFile.of(
                    ClassFile.ClassHierarchyResolverOption.of(ClassHierarchyResolver.defaultResolver()
                            .orElse(ClassHierarchyResolver.ofResourceParsing(loader))),
                    ClassFile.StackMapsOption.GENERATE_STACK_MAPS);
            for (Map.Entry<JarEntry, byte[]> e : entries.entrySet()) {
                byte[] bytes = e.getValue();
                if (isOld(e.getKey(), bytes)) {
                    bytes = cf.transformClass(cf.parse(bytes), ClassTransform.transformingMethodBodies(
                            CodeTransform.ACCEPT_ALL).andThen((b, element) -> {
                                if (element instanceof ClassFileVersion) {
                                    b.withVersion(TARGET, 0);
                                } else {
                                    b.with(element);
                                }
                            }));
                    n++;
                }
                JarEntry copy = new JarEntry(e.getKey().getName());
                copy.setTime(e.getKey().getTime());
                out.putNextEntry(copy);
                out.write(bytes);
                out.closeEntry();
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return n;
    }

    private static boolean isOld(JarEntry e, byte[] bytes) {
        return isClass(e) && major(bytes) < OLDEST_KEPT;
    }

    private static boolean isClass(JarEntry e) {
        // module descriptors and multi-release variants are newer than Java 6 by nature
        return e.getName().endsWith(".class") && !e.getName().endsWith("module-info.class")
                && !e.getName().startsWith("META-INF/");
    }

    /// The major version of a class file from its header.
    private static int major(byte[] head) {
        return head.length < 8 ? Integer.MAX_VALUE : ((head[6] & 0xff) << 8) | (head[7] & 0xff);
    }
}
