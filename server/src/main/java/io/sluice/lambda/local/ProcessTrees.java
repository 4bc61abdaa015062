package io.sluice.lambda.local;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Ends a runtime process together with what it started (a shell's children, a runtime's helpers), by
 * its own {@link Process} handle: descendants are listed before the process goes, since once it is gone
 * they are no longer its descendants.
 */
final class ProcessTrees {
    private ProcessTrees() {}

    /** Kills {@code process} and its descendants at once (SIGKILL); does not wait. */
    static void kill(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    /**
     * Asks {@code processes} and their descendants to end (SIGTERM), kills whichever is still there after
     * {@code grace}, and waits as long again for them to be gone.
     */
    static void stop(List<Process> processes, Duration grace) {
        List<ProcessHandle> tree = processes.stream()
                .flatMap(p -> Stream.concat(Stream.of(p.toHandle()), p.descendants()))
                .toList();
        tree.forEach(ProcessHandle::destroy);
        if (!awaitExit(tree, grace)) {
            tree.forEach(ProcessHandle::destroyForcibly);
            awaitExit(tree, grace);
        }
    }

    private static boolean awaitExit(List<ProcessHandle> tree, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        for (ProcessHandle handle : tree) {
            try {
                handle.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (ExecutionException e) {
                // onExit never fails; a handle that cannot be waited on is taken as gone.
            }
        }
        return true;
    }
}
