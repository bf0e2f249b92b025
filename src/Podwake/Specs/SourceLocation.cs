namespace Podwake.Specs;

/// <summary>Where a value came from in a service file; 1-based line and column, or 0 for the file as a whole.</summary>
internal readonly record struct SourceLocation(string File, int Line, int Column)
{
    /// <summary>A problem with a whole file or path (missing, unreadable): printed as <c>FILE</c> alone.</summary>
    public static SourceLocation ForFile(string file) => new(file, 0, 0);

    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}" : File;
}
