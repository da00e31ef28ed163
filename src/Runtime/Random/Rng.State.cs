namespace Ppl.Runtime.Random;

public sealed partial class Rng
{
    /// <summary>Words in <see cref="ExportState"/>: the four scalar-stream words, a flag, the 32 wide-stream words.</summary>
    public const int StateWords = 4 + 1 + 32;

    /// <summary>
    /// The generator's whole state as <see cref="StateWords"/> words, so a saved fit resumes with exactly the draws an
    /// uninterrupted one would have made: the scalar stream, whether the wide stream was seeded, and its lanes.
    /// </summary>
    public ulong[] ExportState()
    {
        var w = new ulong[StateWords];
        (w[0], w[1], w[2], w[3]) = (_s0, _s1, _s2, _s3);
        w[4] = _wideSeeded ? 1UL : 0UL;
        for (int i = 0; i < 32; i++) w[5 + i] = _wide[i];
        return w;
    }

    /// <summary>Sets the state saved by <see cref="ExportState"/>.</summary>
    /// <exception cref="ArgumentException">Wrong length, or an all-zero scalar state (not one xoshiro can reach).</exception>
    public void ImportState(ReadOnlySpan<ulong> state)
    {
        if (state.Length != StateWords) throw new ArgumentException($"a generator state has {StateWords} words, got {state.Length}", nameof(state));
        if ((state[0] | state[1] | state[2] | state[3]) == 0) throw new ArgumentException("the all-zero state is not a xoshiro256** state", nameof(state));
        (_s0, _s1, _s2, _s3) = (state[0], state[1], state[2], state[3]);
        _wideSeeded = state[4] != 0;
        for (int i = 0; i < 32; i++) _wide[i] = state[5 + i];
    }

    /// <summary>Sets this generator's whole state to <paramref name="other"/>'s (what <see cref="ImportState"/> of its <see cref="ExportState"/> does, without the array).</summary>
    public void CopyStateFrom(Rng other)
    {
        (_s0, _s1, _s2, _s3) = (other._s0, other._s1, other._s2, other._s3);
        _wideSeeded = other._wideSeeded;
        _wide = other._wide;
    }

    /// <summary>Whether this generator's whole state equals <paramref name="other"/>'s (what comparing their <see cref="ExportState"/>s tells).</summary>
    public bool SameState(Rng other) =>
        _s0 == other._s0 && _s1 == other._s1 && _s2 == other._s2 && _s3 == other._s3 && _wideSeeded == other._wideSeeded &&
        ((ReadOnlySpan<ulong>)_wide).SequenceEqual(other._wide);

    /// <summary>Becomes <see cref="Fork"/>(<paramref name="streamId"/>) of its own current state, with no new generator.</summary>
    public void ForkInPlace(ulong streamId)
    {
        SeedFrom(ForkKey(streamId));
        _wide = default;   // as a fresh generator's: Fork's child starts with zero lanes
    }
}
