using System.Diagnostics;
using System.Globalization;
using Ppl.Inference.Elbo;
using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Random;
using Ppl.Runtime.Sites;
using Ppl.Runtime.Tensors;

namespace Ppl.Cli.Bench;

/// <summary>
/// Where a steady <c>vae-fit</c> step spends its time, by phase, from steps that each run one phase on its own after
/// the fit's warm-up: the whole step (<c>Svi.Fit</c>); zeroing gradients; the guide and the replayed model on the tape
/// (what <c>TraceElbo</c> runs first); <c>TraceElbo.Step</c> (that forward pass, the ELBO's terms, the surrogate and
/// the backward pass); Adam's update; and the network's eleven GEMMs of one step alone (4 forward, 7 backward, at the
/// VAE's shapes). Differences give the rest: terms + backward = ELBO step − forward; the loop's own bookkeeping
/// (finiteness check, convergence windows) = step − zeroing − ELBO step − Adam. When the fit splits its minibatches
/// (<see cref="Inference.Distributed.SplitMinibatch"/>), two more rows time the split step (both halves and the
/// gradient mean, which replace the zeroing and the unsplit ELBO step in the whole step) and the mean alone. Prints one line per phase
/// (milliseconds and kibibytes allocated per step) on standard error; returns the whole step's milliseconds.
/// </summary>
public static class BenchVaeFitProfile
{
    /// <summary>Milliseconds per steady step, after printing the breakdown.</summary>
    public static double MillisecondsPerStep(int threads)
    {
        using var fit = VaeFit.Load(BenchVaeFit.ExamplePath("vae.ppl"), "Vae", "VaeGuide", BenchVaeFit.TrainImages);
        int saved = Gemm.MaxThreads;
        Gemm.MaxThreads = threads;
        try
        {
            var svi = fit.Svi;
            svi.Fit(stopAt: BenchVaeFit.WarmupSteps);
            int n = Math.Max(10, BenchVaeFit.Steps / 4);
            var tape = new Tape();
            var rng = new Rng(9);
            var elbo = new TraceElbo();
            var rows = new List<(string Phase, double Ms, double KiB)>();
            void Time(string phase, Action body)
            {
                body();
                long bytes = GC.GetAllocatedBytesForCurrentThread();
                long start = Stopwatch.GetTimestamp();
                for (int i = 0; i < n; i++) body();
                double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds / n;
                rows.Add((phase, ms, (GC.GetAllocatedBytesForCurrentThread() - bytes) / 1024.0 / n));
            }
            // Tiered JIT is still recompiling the step's methods long after the fit's 20 warm-up steps (on main the
            // first phase timed right after them came out ~40 % slower than a steady step), so run n more first.
            svi.Fit(stopAt: svi.Step + n);
            int step = svi.Step;
            Time("whole step (Svi.Fit)", () => svi.Fit(stopAt: ++step));
            Time("zero gradients", () => svi.Store.ZeroGrad());
            Time("guide + replayed model on the tape", () =>
            {
                tape.Reset();
                var guideTrace = new TraceHandler();
                svi.Guide.Run(new ModelContext(rng, tape, svi.Store).With(guideTrace));
                svi.Model.Run(new ModelContext(rng, tape, svi.Store).With(new TraceHandler()).With(new ReplayHandler(guideTrace.Trace)));
            });
            Time("TraceElbo.Step (forward, terms, backward)", () =>
            {
                tape.Reset();
                elbo.Step(svi.Model, svi.Guide, svi.Store, tape, rng);
            });
            tape.Reset();
            svi.Store.ZeroGrad();
            Time("Adam update", () => svi.Optimizer.Step(svi.Store));
            Time("the 11 GEMMs alone", GemmsOfOneStep());
            if (svi.Split is { } split)
            {
                Time("split step: both halves + gradient mean", () => split.Step(svi.Model, svi.Guide, svi.Store, rng));
                Time("  of which the gradient mean", () => split.MeanGradients(svi.Store));
            }
            foreach (var (phase, ms, kib) in rows)
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {phase,-45} {ms,8:0.000} ms {kib,10:0.0} KiB"));
            double Row(int i) => rows[i].Ms;
            // With a split minibatch the whole step runs the halves instead of the unsplit ELBO step timed in row 3.
            double elboStep = svi.Split is null ? Row(3) : Row(6);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {"ELBO terms + surrogate + backward",-45} {Row(3) - Row(2),8:0.000} ms (ELBO step − forward)\n" +
                $"  {"loop bookkeeping (finiteness, windows)",-45} {Row(0) - (svi.Split is null ? Row(1) : 0) - elboStep - Row(4),8:0.000} ms (step − the rest)\n" +
                $"  {"outside the GEMMs",-45} {Row(0) - Row(5),8:0.000} ms ({(Row(0) - Row(5)) / Row(0):P0} of the step)"));
            return Row(0);
        }
        finally
        {
            Gemm.MaxThreads = saved;
        }
    }

    /// <summary>The products of one step of the 784-400-(20+20)…20-400-784 network at batch 128, forward and backward.</summary>
    static Action GemmsOfOneStep()
    {
        const int b = 128;
        (int In, int Out)[] layers = [(784, 400), (400, 40), (20, 400), (400, 784)];
        var buffers = layers.Select(l => (X: new float[b * l.In], W: new float[l.In * l.Out], Y: new float[b * l.Out])).ToArray();
        return () =>
        {
            for (int i = 0; i < layers.Length; i++)
            {
                var (k, m) = layers[i];
                var (x, w, y) = buffers[i];
                Gemm.Multiply(false, false, b, m, k, x, k, w, m, y, m);        // Y = X·W
                Gemm.Multiply(true, false, k, m, b, x, k, y, m, w, m);          // dW = Xᵀ·dY
                if (i != 0) Gemm.Multiply(false, true, b, k, m, y, m, w, m, x, k);   // dX = dY·Wᵀ (not for the data)
            }
        };
    }
}
