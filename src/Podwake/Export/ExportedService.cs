using YamlDotNet.RepresentationModel;

namespace Podwake.Export;

/// <summary>What one service exports to: its documents in apply order, and the notes written above the first.</summary>
/// <param name="Notes">Comment lines (without <c>#</c>) saying what was not exported and why.</param>
internal sealed record ExportedService(string Name, IReadOnlyList<string> Notes, IReadOnlyList<YamlNode> Documents);
