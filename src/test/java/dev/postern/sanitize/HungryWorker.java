package dev.postern.sanitize;

import java.util.ArrayList;
import java.util.List;

/** A worker entry point that allocates until the heap is gone: what a decompression bomb does. */
public final class HungryWorker {
    private HungryWorker() {
    }

    public static void main(String[] args) {
        List<long[]> held = new ArrayList<>();
        while (true) {
            held.add(new long[1 << 20]);
        }
    }
}
