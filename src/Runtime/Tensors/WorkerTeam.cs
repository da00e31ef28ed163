using System.Diagnostics;

namespace Ppl.Runtime.Tensors;

/// <summary>
/// A small set of dedicated threads for splitting one kernel (a product, an optimizer update) across cores.
/// Nothing is allocated per call (unlike <c>Parallel.For</c>'s closures and state), and an idle worker spins
/// briefly before it sleeps: a training step issues its kernels back to back, and waking a sleeping thread
/// costs tens of microseconds on a virtual machine, as much as a small product itself. Every parallel kernel
/// shares this one team, so no thread-pool thread competes with it for the cores (a VAE step that split its
/// Adam update with <c>Parallel.For</c> ran ~10 % slower than with the update on one thread).
/// </summary>
/// <remarks>
/// Parts are claimed, not assigned: the caller and any worker that is awake take the next unclaimed part
/// until none is left, so a worker that is slow to wake (a busy machine) costs at most the time it takes
/// the caller to do that part itself, never a wait for the worker. Which thread runs a part does not change
/// its result, because parts own disjoint outputs. Claims carry the job's epoch in the same 64-bit word
/// as the part index, so a late worker can never claim a part of a job other than the one it read.
/// One kernel is in flight at a time; a caller that finds another one running computes its own alone. That includes
/// a part that calls <see cref="Run"/> itself (a minibatch half whose products run inside it, see <see cref="TeamParts"/>):
/// the gate is not re-entrant, so the nested kernel runs on the part's own thread.
/// </remarks>
internal static unsafe class WorkerTeam
{
    /// <summary>
    /// How long an idle worker polls for the next kernel before blocking: 3 ms, longer than the gaps between the
    /// parallel kernels of a training step (a VAE step's elementwise work between two products often takes more
    /// than 200 µs, and with a 200 µs spin the worker was asleep at the next product so often that the caller did
    /// most parts itself: perf showed the caller doing about two thirds of the GEMM kernel work, half with 3 ms). The spin
    /// yields, so it only burns a core nobody else wants.
    /// </summary>
    static readonly long SpinTicks = Stopwatch.Frequency * 3 / 1000;

    static int busy;   // the gate: 1 while a kernel is in flight (not a Monitor, which would let a part's own thread re-enter)
    static Worker[] workers = [];
    static Job job;
    static long ticket; // epoch << 32 | next unclaimed part
    static int remaining;
    static Exception? failure;

    /// <summary>
    /// Runs <c>part(context, i)</c> for every i &lt; <paramref name="parts"/> (in parallel when workers are free);
    /// returns when all are done. <paramref name="context"/> must stay valid until then (the caller's stack is fine).
    /// When no worker can help, <paramref name="alone"/> runs instead with <c>alone(context, 0)</c> (the whole work
    /// as one part, e.g. a product without re-packing per part), or the parts run in turn if it is null.
    /// </summary>
    public static void Run(void* context, delegate*<void*, int, void> part, int parts, delegate*<void*, int, void> alone = null)
    {
        if (parts <= 1 || Interlocked.CompareExchange(ref busy, 1, 0) != 0)
        {
            if (alone != null) alone(context, 0);
            else for (int i = 0; i < parts; i++) part(context, i);
            return;
        }
        var work = new Job(context, part, parts);
        try
        {
            EnsureWorkers(parts - 1);
            // Close the previous epoch for good before rewriting the job: a late worker holding that epoch
            // then finds nothing to claim, whatever (possibly half-written) job it copied.
            long epoch = (Volatile.Read(ref ticket) >> 32) + 1;
            Interlocked.Exchange(ref ticket, ((epoch - 1) << 32) | int.MaxValue);
            job = work;
            failure = null;
            Volatile.Write(ref remaining, parts);
            Interlocked.Exchange(ref ticket, epoch << 32); // publishes job and remaining
            for (int w = 0; w < parts - 1; w++) workers[w].Post();
            RunClaimed(epoch, work);
            var spin = new SpinWait();
            while (Volatile.Read(ref remaining) != 0) spin.SpinOnce(sleep1Threshold: -1);
            if (failure is { } e) throw new AggregateException("a worker failed", e);
        }
        finally
        {
            Volatile.Write(ref busy, 0);
        }
    }

    /// <summary>Claims and runs parts of job <paramref name="epoch"/> (described by <paramref name="work"/>) until none is left.</summary>
    static void RunClaimed(long epoch, in Job work)
    {
        while (true)
        {
            long t = Volatile.Read(ref ticket);
            if (t >> 32 != epoch || (int)t >= work.Parts) return;
            if (Interlocked.CompareExchange(ref ticket, t + 1, t) != t) continue;
            try
            {
                work.Part(work.Context, (int)t);
            }
            catch (Exception e)
            {
                failure = e;
            }
            Interlocked.Decrement(ref remaining);
        }
    }

    /// <summary>A worker's share of whatever job is current: read its epoch, then the job, then claim.</summary>
    static void Help()
    {
        long epoch = Volatile.Read(ref ticket) >> 32;
        // A claim succeeds only while this epoch still has unclaimed parts, and the job is only rewritten
        // after the epoch is closed, so a successful claim means this copy was not torn.
        var work = job;
        RunClaimed(epoch, work);
    }

    static void EnsureWorkers(int count)
    {
        if (workers.Length >= count) return;
        var grown = new Worker[count];
        Array.Copy(workers, grown, workers.Length);
        for (int i = workers.Length; i < count; i++) grown[i] = new Worker(i + 1);
        workers = grown;
    }

    sealed class Worker
    {
        readonly ManualResetEventSlim wake = new(false, spinCount: 1);
        int posted, seen;

        public Worker(int index) =>
            new Thread(Loop) { IsBackground = true, Name = $"ppl-worker-{index}" }.Start();

        public void Post()
        {
            Interlocked.Increment(ref posted);
            wake.Set();
        }

        void Loop()
        {
            while (true)
            {
                long deadline = Stopwatch.GetTimestamp() + SpinTicks;
                while (Volatile.Read(ref posted) == seen)
                {
                    if (Stopwatch.GetTimestamp() < deadline)
                    {
                        // Spin politely: where cores are oversubscribed, the yield hands this core to a
                        // runnable thread (often the caller's own next step) instead of burning it.
                        Thread.SpinWait(30);
                        Thread.Yield();
                        continue;
                    }
                    // Reset before the re-check: a Post after the re-check sets the event again.
                    wake.Reset();
                    if (Volatile.Read(ref posted) == seen) wake.Wait();
                    deadline = Stopwatch.GetTimestamp() + SpinTicks;
                }
                seen = Volatile.Read(ref posted);
                Help();
            }
        }
    }

    /// <summary>The current kernel: what each part runs, on what, and how many parts there are.</summary>
    readonly struct Job(void* context, delegate*<void*, int, void> part, int parts)
    {
        public readonly void* Context = context;
        public readonly delegate*<void*, int, void> Part = part;
        public readonly int Parts = parts;
    }
}
