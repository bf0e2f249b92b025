using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Podwake.Export;

/// <summary>
/// Writes exported services as one YAML stream: each service's notes as <c>#</c> lines above its first document,
/// <c>---</c> between documents. Same services, same bytes: fields in the models' order, maps in the order built.
/// </summary>
internal static class ExportYaml
{
    public static string Write(IEnumerable<ExportedService> services)
    {
        var documents = new List<string>();
        foreach (var service in services)
        {
            var notes = string.Concat(service.Notes.Select(note => note.Length == 0 ? "#\n" : $"# {note}\n"));
            foreach (var document in service.Documents)
            {
                documents.Add(notes + Document(document));
                notes = "";
            }
        }

        return string.Join("---\n", documents);
    }

    /// <summary>One document's YAML, ending in a newline, without the <c>...</c> end marker YamlDotNet adds.</summary>
    internal static string Document(YamlNode root)
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        var text = writer.ToString();
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text;
    }
}
