package dev.postern.sanitize;

/** A worker entry point that never finishes: what a parser stuck on a hostile file looks like. */
public final class StuckWorker {
    private StuckWorker() {
    }

    public static void main(String[] args) throws InterruptedException {
        Thread.sleep(Long.MAX_VALUE);
    }
}
