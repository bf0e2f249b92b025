namespace Podwake.Specs;

/// <summary>One problem in a service file, printed as <c>FILE:LINE:COL: error: MESSAGE</c>.</summary>
internal sealed record Diagnostic(SourceLocation Location, string Message)
{
    public override string ToString() => $"{Location}: error: {Message}";
}
