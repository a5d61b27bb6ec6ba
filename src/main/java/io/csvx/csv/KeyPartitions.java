package io.csvx.csv;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/// Two versions not in key order, compared without sorting them: each version's rows (packed,
/// [PackedRows]) go to partitions by a hash of the key, in memory while a version has at most
/// `rowsInMemory` rows, else in files; then each pair of partitions is joined in memory (the
/// older one's keys in an open-addressing table, the newer one's rows looked up in it), on as many
/// threads as there are cores. Keys and values are compared as bytes; only changes are decoded.
/// A partition pair too big for memory is split again with another hash. Only the changes are
/// then sorted, by key, which is what makes this faster than sorting both versions whole.
final class KeyPartitions implements AutoCloseable {
    /// Partitions a spilled version is split into at first: 2,000,000 rows make ~16,000 each.
    /// Each fills a 32 KiB buffer of its own while a version is split: with 256 the buffers no
    /// longer stayed in the cores' caches, with 64 the joined pairs did not (8,000,000 rows x 794 MB
    /// a version: 4.6-4.7 s with 128, 4.8-5.0 s with 256, 5.3-5.4 s with 64).
    static final int FIRST_SPLIT = 128;
    /// Partitions a partition too big for memory is split into.
    static final int SPLIT_AGAIN = 16;
    /// The most bytes of a partition joined in memory.
    static final int BYTES_IN_MEMORY = 16 << 20;
    /// The most rows of a partition joined in memory, as a multiple of the rows of a version held
    /// before it is split: packed rows are small, and splitting a pair again costs a pass over it
    /// (8,000,000 rows in 256 partitions, 31,000 rows each, all split again: 8.9 s; joined whole:
    /// 4.5 to 5.0 s).
    private static final int JOINED_PER_HELD = 16;
    /// Splits at most this deep; below, a partition is joined however big (only many rows with
    /// one key, which the join refuses at once, get there).
    private static final int MAX_DEPTH = 4;

    /// What the join found: rows unchanged (a count per partition) and each change. Called from
    /// several threads at once.
    interface Found {
        void unchanged(long rows);

        /// A row added (`was` null), removed (`is` null) or changed.
        void change(PackedRows was, int wasRow, PackedRows is, int isRow) throws IOException;

        /// The error for the key of `row` being on `firstLine` too, in the same version.
        RuntimeException duplicate(CsvDiff.Version version, long firstLine, PackedRows rows, int row);
    }

    private final int rowsInMemory;
    private final Path tempDir;
    /// Every spill file made, removed on close; splits add to it from the join's threads.
    private final List<Spill> spills = java.util.Collections.synchronizedList(new ArrayList<>());
    final Side older = new Side();
    final Side newer = new Side();

    KeyPartitions(int rowsInMemory, Path tempDir) {
        this.rowsInMemory = rowsInMemory;
        this.tempDir = tempDir;
    }

    /// One version's rows: in memory, or spread over the partitions of a spill file.
    final class Side {
        private PackedRows memory = new PackedRows(1024, 1 << 16);
        private Spill spill;

        private Side() {
        }

        /// Adds a record ([PackedRows]) with the hash of its key.
        void add(byte[] record, int from, int length, int keyHash) throws IOException {
            if (spill != null) {
                spill.add(partition(keyHash, 0, FIRST_SPLIT), record, from, length);
                return;
            }
            memory.add(record, from, length);
            if (memory.rows() > rowsInMemory || memory.bytes() > BYTES_IN_MEMORY) {
                spill();
            }
        }

        private void spill() throws IOException {
            spill = newSpill(FIRST_SPLIT);
            PackedRows held = memory;
            memory = null;
            for (int r = 0; r < held.rows(); r++) {
                int from = held.recordFrom(r);
                spill.add(partition(held.keyHash(r), 0, FIRST_SPLIT), held.data(), from, held.valuesTo(r) - from);
            }
        }
    }

    /// Partitions of records in one file: each partition's records gather in a buffer of its
    /// own, appended to the file as a chunk when full. One file a version, not one a partition:
    /// opening, closing and removing hundreds of files cost as much as the join.
    private static final class Spill implements AutoCloseable {
        private static final int CHUNK = 1 << 15;
        final Path file;
        /// Appends chunks (one thread at a time): a plain stream, whose write the JIT compiles
        /// small, where a channel's positional write pulled in the whole NIO path (190 ms of C2).
        private final java.io.FileOutputStream out;
        /// Reads chunks back, from any thread.
        final FileChannel channel;
        final Part[] parts;
        private long end;

        Spill(Path file, int partitions) throws IOException {
            this.file = file;
            this.channel = FileChannel.open(file, StandardOpenOption.READ);
            this.out = new java.io.FileOutputStream(file.toFile(), true);
            this.parts = new Part[partitions];
            for (int i = 0; i < partitions; i++) {
                parts[i] = new Part(this);
            }
        }

        /// Appends a record to a partition; from one thread at a time.
        void add(int part, byte[] b, int from, int length) throws IOException {
            Part p = parts[part];
            p.rows++;
            p.bytes += length;
            if (p.buf == null) {
                p.buf = new byte[CHUNK];
            }
            if (CHUNK - p.pos < length) {
                flush(p);
                if (length > CHUNK) {
                    chunk(p, b, from, length);
                    return;
                }
            }
            System.arraycopy(b, from, p.buf, p.pos, length);
            p.pos += length;
        }

        private void flush(Part p) throws IOException {
            if (p.pos > 0) {
                chunk(p, p.buf, 0, p.pos);
                p.pos = 0;
            }
        }

        private void chunk(Part p, byte[] b, int from, int length) throws IOException {
            out.write(b, from, length);
            p.chunk(end, length);
            end += length;
        }

        /// Writes what the partitions still buffer.
        void finish() throws IOException {
            for (Part p : parts) {
                flush(p);
                p.buf = null;
            }
            out.close();
        }

        @Override
        public void close() throws IOException {
            try (channel; out) {
                Files.deleteIfExists(file);
            }
        }
    }

    /// A partition: rows in memory, or chunks of a spill file.
    private static final class Part {
        final PackedRows memory;
        final Spill spill;
        long rows;
        long bytes;
        byte[] buf;
        int pos;
        private long[] chunkAt = new long[8];
        private int[] chunkLength = new int[8];
        private int chunks;

        Part(PackedRows memory) {
            this.memory = memory;
            this.spill = null;
            this.rows = memory.rows();
            this.bytes = memory.bytes();
        }

        Part(Spill spill) {
            this.memory = null;
            this.spill = spill;
        }

        void chunk(long at, int length) {
            if (chunks == chunkAt.length) {
                chunkAt = Arrays.copyOf(chunkAt, 2 * chunks);
                chunkLength = Arrays.copyOf(chunkLength, 2 * chunks);
            }
            chunkAt[chunks] = at;
            chunkLength[chunks++] = length;
        }

        /// Its rows: in memory, or read into `into` (a buffer of the joining thread's).
        PackedRows rows(PackedRows into) throws IOException {
            if (memory != null) {
                return memory;
            }
            byte[] b = into.data().length >= bytes ? into.data() : new byte[(int) Math.min(Integer.MAX_VALUE - 16, bytes * 5 / 4)];
            int filled = 0;
            for (int c = 0; c < chunks; c++) {
                ByteBuffer bb = ByteBuffer.wrap(b, filled, chunkLength[c]);
                long at = chunkAt[c];
                while (bb.hasRemaining()) {
                    int n = spill.channel.read(bb, at);
                    if (n < 0) {
                        throw new java.io.EOFException("a partition's file ends early");
                    }
                    at += n;
                }
                filled += chunkLength[c];
            }
            into.reset(b, filled);
            return into;
        }
    }

    /// A joining thread's buffers, used for one pair of partitions after another.
    private static final class Scratch {
        final PackedRows older = new PackedRows(1024, 1 << 20);
        final PackedRows newer = new PackedRows(1024, 1 << 20);
        long[] slots = new long[0];
        /// Changes noted by a join: pairs of the older row + 1 and the newer row + 1, 0 for none.
        int[] changes = new int[64];
        int count;

        void change(int olderRow, int newerRow) {
            if (count == changes.length) {
                changes = Arrays.copyOf(changes, 2 * count);
            }
            changes[count++] = olderRow;
            changes[count++] = newerRow;
        }
    }

    /// Joins every pair of partitions, telling `found` what each row is.
    void join(Found found) throws IOException {
        for (Side s : List.of(older, newer)) {
            if (s.spill != null) {
                s.spill.finish();
            }
        }
        if (older.spill == null && newer.spill == null) {
            join(new Part(older.memory), new Part(newer.memory), found, 0, new Scratch());
            return;
        }
        for (Side s : List.of(older, newer)) {
            if (s.spill == null) {
                s.spill(); // both versions must be split alike
                s.spill.finish();
            }
        }
        // the pairs are independent: joined on as many threads as there are cores (each holds one
        // pair in memory at a time)
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().daemon(true).name("csvx-diff-join-" + t).start(() -> {
                try {
                    Scratch scratch = new Scratch();
                    for (int i = next.getAndIncrement(); i < FIRST_SPLIT && failed.get() == null; i = next.getAndIncrement()) {
                        join(older.spill.parts[i], newer.spill.parts[i], found, 1, scratch);
                    }
                } catch (IOException | RuntimeException | Error e) {
                    failed.compareAndSet(null, e);
                }
            }));
        }
        for (Thread w : workers) {
            try {
                w.join();
            } catch (InterruptedException e) {
                workers.forEach(Thread::interrupt);
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while comparing");
            }
        }
        Throwable t = failed.get();
        if (t instanceof IOException io) {
            throw io;
        } else if (t instanceof RuntimeException r) {
            throw r;
        } else if (t instanceof Error e) {
            throw e;
        }
    }

    private void join(Part a, Part b, Found found, int depth, Scratch scratch) throws IOException {
        long most = (long) JOINED_PER_HELD * rowsInMemory;
        if ((a.rows > most || b.rows > most || a.bytes > BYTES_IN_MEMORY || b.bytes > BYTES_IN_MEMORY)
                && depth < MAX_DEPTH) {
            try (Spill as = split(a, depth, scratch); Spill bs = split(b, depth, scratch)) {
                for (int i = 0; i < SPLIT_AGAIN; i++) {
                    join(as.parts[i], bs.parts[i], found, depth + 1, scratch);
                }
            }
            return;
        }
        PackedRows before = a.rows(scratch.older);
        PackedRows after = b.rows(scratch.newer);
        int na = before.rows();
        int nb = after.rows();
        // a slot holds a key's hash (high half) and the row with that key (low half): the older
        // row + 1, or -(newer row + 1) once a newer row took the key (matched or added), so that
        // a key is looked up with one access to the table and one to the row, and a second newer
        // row with it is found for what it is. One loop a method: the JIT compiled the three
        // together five times over, half a second of a core of two.
        int capacity = Integer.highestOneBit(Math.max(4, (na + nb) * 2 - 1)) << 1;
        if (scratch.slots.length < capacity) {
            scratch.slots = new long[capacity];
        } else {
            Arrays.fill(scratch.slots, 0, capacity, 0L);
        }
        index(before, scratch.slots, capacity - 1, found);
        long unchanged = look(before, after, scratch, capacity - 1, found);
        leftovers(scratch, capacity);
        found.unchanged(unchanged);
        report(scratch, before, after, found);
    }

    /// Puts the older rows in the table.
    private static void index(PackedRows before, long[] slots, int mask, Found found) {
        int na = before.rows();
        for (int r = 0; r < na; r++) {
            int h = slotHash(before.keyHash(r));
            int s = h & mask;
            for (long e = slots[s]; e != 0; e = slots[s]) {
                if ((int) (e >>> 32) == h && before.sameKey((int) e - 1, before, r)) {
                    throw found.duplicate(CsvDiff.Version.OLD, before.line((int) e - 1), before, r);
                }
                s = s + 1 & mask;
            }
            slots[s] = (long) h << 32 | r + 1;
        }
    }

    /// Looks each newer row up: noting it added or changed, or counting it unchanged; answers
    /// the rows unchanged.
    private static long look(PackedRows before, PackedRows after, Scratch scratch, int mask, Found found) {
        long[] slots = scratch.slots;
        int nb = after.rows();
        long unchanged = 0;
        for (int r = 0; r < nb; r++) {
            int h = slotHash(after.keyHash(r));
            int s = h & mask;
            int hit = 0;
            for (long e = slots[s]; e != 0; e = slots[s]) {
                int at = (int) e;
                if ((int) (e >>> 32) == h && (at > 0 ? before.sameKey(at - 1, after, r) : after.sameKey(-at - 1, after, r))) {
                    hit = at;
                    break;
                }
                s = s + 1 & mask;
            }
            if (hit < 0) {
                throw found.duplicate(CsvDiff.Version.NEW, after.line(-hit - 1), after, r);
            }
            slots[s] = (long) h << 32 | -(r + 1) & 0xFFFFFFFFL;
            if (hit == 0) {
                scratch.change(0, r + 1);
            } else if (before.sameValues(hit - 1, after, r)) {
                unchanged++;
            } else {
                scratch.change(hit, r + 1);
            }
        }
        return unchanged;
    }

    /// Notes as removed the older rows no newer row took the key of.
    private static void leftovers(Scratch scratch, int capacity) {
        long[] slots = scratch.slots;
        for (int s = 0; s < capacity; s++) {
            int at = (int) slots[s];
            if (at > 0) {
                scratch.change(at, 0);
            }
        }
    }

    /// Tells `found` the changes a join noted. Apart from the join's loops, which the JIT then
    /// compiles without the changes' whole path inlined (it took 290 ms of a C2 thread, on a
    /// machine with two cores, while the join ran slower code).
    private static void report(Scratch scratch, PackedRows before, PackedRows after, Found found) throws IOException {
        int[] c = scratch.changes;
        for (int i = 0; i < scratch.count; i += 2) {
            found.change(c[i] == 0 ? null : before, c[i] - 1, c[i + 1] == 0 ? null : after, c[i + 1] - 1);
        }
        scratch.count = 0;
    }

    /// A partition split again by another hash, into a spill of its own.
    private Spill split(Part p, int depth, Scratch scratch) throws IOException {
        Spill out = newSpill(SPLIT_AGAIN);
        try {
            PackedRows rows = p.rows(scratch.older);
            for (int r = 0; r < rows.rows(); r++) {
                int from = rows.recordFrom(r);
                out.add(partition(rows.keyHash(r), depth + 1, SPLIT_AGAIN), rows.data(), from, rows.valuesTo(r) - from);
            }
            out.finish();
            return out;
        } catch (IOException | RuntimeException | Error e) {
            out.close();
            throw e;
        }
    }

    /// The partition of a key's hash, another spread for every `seed`.
    private static int partition(int hash, int seed, int parts) {
        long h = (hash & 0xFFFFFFFFL) + seed * 0x9E3779B97F4A7C15L;
        h = (h ^ h >>> 33) * 0xFF51AFD7ED558CCDL;
        h = (h ^ h >>> 33) * 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return (int) ((h >>> 32) * parts >>> 32);
    }

    /// A key's place in a join's table: spread otherwise than [#partition]'s, whose rows share it.
    private static int slotHash(int hash) {
        int h = hash * 0x9E3779B1;
        return h ^ h >>> 15;
    }

    private Spill newSpill(int partitions) throws IOException {
        Spill spill = new Spill(Files.createTempFile(tempDir, "csvx-diff-", ".part"), partitions);
        spills.add(spill);
        return spill;
    }

    @Override
    public void close() throws IOException {
        synchronized (spills) {
            for (Spill s : spills) {
                s.close();
            }
        }
    }
}
