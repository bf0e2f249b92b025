namespace Podwake.Specs;

/// <summary>Where a value came from in a service file; 1-based line and column.</summary>
internal readonly record struct SourceLocation(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}
