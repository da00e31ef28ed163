namespace Ppl.Inference.Optimizers;

/// <summary>A learning rate as a function of the step (0-based), from a base rate. Pure, so a resumed fit gets the same rates.</summary>
public abstract record LearningRateSchedule
{
    /// <summary>The rate at step <paramref name="step"/>.</summary>
    public abstract float At(int step, float baseRate);

    /// <summary>The base rate at every step.</summary>
    public static readonly LearningRateSchedule Constant = new ConstantSchedule();
}

/// <summary>lr at every step.</summary>
public sealed record ConstantSchedule : LearningRateSchedule
{
    /// <inheritdoc/>
    public override float At(int step, float baseRate) => baseRate;
}

/// <summary>lr·γ^step.</summary>
public sealed record ExponentialSchedule(double Gamma) : LearningRateSchedule
{
    /// <inheritdoc/>
    public override float At(int step, float baseRate) => (float)(baseRate * Math.Pow(Gamma, step));
}

/// <summary>lr·γ^⌊step / every⌋: multiplied by γ every <paramref name="Every"/> steps.</summary>
public sealed record StepSchedule(int Every, double Gamma) : LearningRateSchedule
{
    /// <inheritdoc/>
    public override float At(int step, float baseRate) => (float)(baseRate * Math.Pow(Gamma, step / Every));
}

/// <summary>Cosine annealing (Loshchilov &amp; Hutter 2017, SGDR without restarts): min + (lr − min)(1 + cos(π·step/T))/2, then min after T steps.</summary>
public sealed record CosineSchedule(int Steps, float MinRate = 0f) : LearningRateSchedule
{
    /// <inheritdoc/>
    public override float At(int step, float baseRate) => step >= Steps ? MinRate
        : (float)(MinRate + (baseRate - MinRate) * 0.5 * (1 + Math.Cos(Math.PI * step / Steps)));
}

/// <summary>Linear warm-up from lr/Steps to the rate of <paramref name="Then"/> over the first <paramref name="Steps"/> steps, then <paramref name="Then"/> (counted from the warm-up's end).</summary>
public sealed record WarmupSchedule(int Steps, LearningRateSchedule Then) : LearningRateSchedule
{
    /// <inheritdoc/>
    public override float At(int step, float baseRate) => step < Steps
        ? (float)((double)Then.At(0, baseRate) * (step + 1) / Steps)
        : Then.At(step - Steps, baseRate);
}
