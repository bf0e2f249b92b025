namespace Podwake.Specs;

/// <summary>
/// One YAML document after <see cref="ServiceParser"/>: the spec when the document is clean, and in any case
/// what the checks across files need (name, listen addresses), so that they run even beside other errors.
/// </summary>
internal sealed record ParsedService(
    ServiceSpec? Spec,
    string? Name,
    SourceLocation NameLocation,
    IReadOnlyList<ListenClaim> Claims,
    IReadOnlyList<Diagnostic> Diagnostics);
