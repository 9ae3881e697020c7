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
     * Tables (or sources) worked on at once by a stage. A few: on small data each is mostly latency, and more
     * threads than that only queue on a machine of a few cores; on large data Spark's scheduler shares the
     * executors between them anyway.
     */
    public static final int TABLES_AT_ONCE = 3;

    /**
     * Runs every task, at most {@code threads} at a time, each under the caller's Spark scope; returns their results
     * in task order. When one fails, the others still run to their end (a Spark job half done would otherwise
     * outlive the stage, and cached inputs be released under it); then the first failure, in task order, is thrown
     * with the others suppressed.
     *
     * @param what what the tasks do, for the message of a failure that is not an unchecked exception
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
            RuntimeException failure = null;
            for (Future<T> f : futures) {
                try {
                    out.add(getUninterruptibly(f));
                } catch (ExecutionException e) {
                    RuntimeException r = e.getCause() instanceof RuntimeException re ? re
                            : new IllegalStateException(what, e.getCause());
                    if (failure == null) {
                        failure = r;
                    } else if (failure != r) {
                        failure.addSuppressed(r);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
            return out;
        } finally {
            pool.shutdown();
        }
    }

    /** Waits for the task however often this thread is interrupted, then re-asserts the interrupt. */
    private static <T> T getUninterruptibly(Future<T> f) throws ExecutionException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
