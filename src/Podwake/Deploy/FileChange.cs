namespace Podwake.Deploy;

/// <summary>What deploy does to one file.</summary>
internal enum FileChange
{
    Unchanged,
    Create,
    Update,
    Remove,
}
