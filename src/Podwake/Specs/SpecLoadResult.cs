namespace Podwake.Specs;

/// <summary>What <see cref="SpecLoader.Load"/> found: the valid services and every problem.</summary>
/// <remarks>
/// When <see cref="Diagnostics"/> is not empty the load failed: <see cref="Services"/> then holds only the
/// services whose own documents were clean, and callers must not act on any of them (bad input never half-applies).
/// </remarks>
internal sealed record SpecLoadResult(IReadOnlyList<ServiceSpec> Services, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool Succeeded => Diagnostics.Count == 0;
}
