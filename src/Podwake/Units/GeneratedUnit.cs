namespace Podwake.Units;

/// <summary>One unit to install: its file name (<c>podwake-hello.socket</c>) and contents.</summary>
internal sealed record GeneratedUnit(string Name, UnitFile File);
