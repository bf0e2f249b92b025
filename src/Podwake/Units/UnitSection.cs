namespace Podwake.Units;

/// <summary>A <c>[Name]</c> header and the lines under it, in file order.</summary>
internal sealed class UnitSection
{
    public UnitSection(string name, string header)
    {
        Name = name;
        Header = header;
    }

    public string Name { get; }

    /// <summary>The header line as read (<c>[Name]</c> for a section created in code).</summary>
    public string Header { get; }

    public List<UnitLine> Lines { get; } = [];
}
