using System.Text.RegularExpressions;
using Podwake.Specs;
using Xunit;

namespace Podwake.Tests;

/// <summary>README.md and docs/: the README stays a short tour with the two commands on top, every link stays inside
/// the repository, and the key reference has a section for every key the loader knows.</summary>
public sealed partial class DocumentationTests
{
    [Fact]
    public void Readme_StartsWithTheTwoCommandsAndStaysShort()
    {
        var readme = File.ReadAllText(RepositoryPaths.Combine("README.md"));

        Assert.StartsWith("# podwake\n\nOn a fresh Debian 12 machine, as root, from this directory:\n\n```sh\nscripts/setup && podwake serve examples/hello\n```\n", readme, StringComparison.Ordinal);
        Assert.Contains("```sh\ncurl http://127.0.0.1:8080/\n```", readme[..600], StringComparison.Ordinal);
        Assert.True(readme.Length < 8 * 1024, $"README.md is {readme.Length} bytes: keep it a short tour, move details into docs/");
    }

    [Fact]
    public void Links_PointToFilesInsideTheRepository()
    {
        var problems = new List<string>();
        foreach (var file in Pages())
        {
            var text = File.ReadAllText(file);
            foreach (Match link in MarkdownLink().Matches(text))
            {
                var target = link.Groups[1].Value.Split('#')[0];
                if (target.Length == 0)
                {
                    continue;
                }

                var resolved = Path.GetFullPath(Path.Join(Path.GetDirectoryName(file), target));
                if (target.Contains("://", StringComparison.Ordinal) || !resolved.StartsWith(RepositoryPaths.Root + "/", StringComparison.Ordinal) || !Path.Exists(resolved))
                {
                    problems.Add($"{Path.GetRelativePath(RepositoryPaths.Root, file)}: {link.Value}");
                }
            }

            if (text.Contains("/work/", StringComparison.Ordinal))
            {
                problems.Add($"{Path.GetRelativePath(RepositoryPaths.Root, file)}: names a path outside the repository (/work/)");
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void ServiceFileReference_HasASectionForEveryKey()
    {
        var reference = File.ReadAllText(RepositoryPaths.Combine("docs/service-file.md"));

        var missing = SpecKeys.Service.Where(key => !reference.Contains($"\n### `{key}`\n", StringComparison.Ordinal)).ToList();

        Assert.True(missing.Count == 0, $"docs/service-file.md has no \"### `KEY`\" section for: {string.Join(", ", missing)}");
    }

    private static IEnumerable<string> Pages() =>
        Directory.EnumerateFiles(RepositoryPaths.Combine("docs"), "*.md", SearchOption.AllDirectories).Prepend(RepositoryPaths.Combine("README.md"));

    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex MarkdownLink();
}
