package io.supportroi.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Independent pieces of a stage (tables, exports) submitted as concurrent Spark jobs. On small data each job is
 * mostly latency (planning, scheduling, a Delta commit's file-system round trips), so a few at a time keep the
 * cores busy; on large data Spark's scheduler shares the executors between them.
 */
public final class Parallel {
    private Parallel() {}

    /**
     * Runs every task, at most {@code threads} at a time, each under the caller's Spark scope; returns their results
     * in task order, or throws the first failure (in task order) once the others are cancelled.
     *
     * @param what what the tasks do, for the message of an interruption
     */
    public static <T> List<T> run(int threads, List<Callable<T>> tasks, String what) {
        // Spark's local properties (job group, scope) pass to a thread when it is created: fresh threads per call.
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> t : tasks) {
                futures.add(pool.submit(t));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + what, e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(what, e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
