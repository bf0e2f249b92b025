using System.CommandLine;
using Podwake.Cli;
using Xunit;

namespace Podwake.Tests.Cli;

public sealed class ManPagesTests
{
    [Fact]
    public void PodwakePage_HasEveryCommandsUsageFromTheTree()
    {
        var root = PodwakeCommand.Create();

        var page = ManPages.Podwake(root);

        Assert.StartsWith(".TH PODWAKE 1 ", page, StringComparison.Ordinal);
        Assert.Contains(".SS \"podwake status [NAME] [options]\"\n", page, StringComparison.Ordinal);
        Assert.Contains(".SS \"podwake sidecar kill NAME KEY [SIGNAL] [options]\"\n", page, StringComparison.Ordinal);
        Assert.Contains(".SS \"podwake activate NAME [options]\"\n", page, StringComparison.Ordinal);
        Assert.Contains(".B \\-\\-spec FILE\n", page, StringComparison.Ordinal);
        Assert.True(page.IndexOf("podwake activate NAME", StringComparison.Ordinal) > page.IndexOf("INTERNAL COMMANDS", StringComparison.Ordinal), "hidden commands come under INTERNAL COMMANDS");
    }

    [Fact]
    public void ServiceFilePage_IsTheEmbeddedKeyReference()
    {
        var markdown = File.ReadAllText(RepositoryPaths.Combine("docs/service-file.md"));

        var page = ManPages.ServiceFile();

        Assert.StartsWith(".TH PODWAKE.YAML 5 ", page, StringComparison.Ordinal);
        Assert.EndsWith(MarkdownManPage.Body(markdown), page, StringComparison.Ordinal);
    }

    [Fact]
    public void ManCommand_PrintsThePage()
    {
        var output = new StringWriter { NewLine = "\n" };

        var exitCode = PodwakeCommand.Create().Parse(["man", "podwake.yaml"]).Invoke(new InvocationConfiguration { Output = output });

        Assert.Equal(0, exitCode);
        Assert.Equal(ManPages.ServiceFile(), output.ToString());
    }

    [Fact]
    public void Markdown_HeadingsBecomeSections()
    {
        Assert.Equal(".SH \"KEYS\"\n.SS \"ports\"\n", MarkdownManPage.Body("# Title\n\n## Keys\n\n### `ports`\n"));
    }

    [Fact]
    public void Markdown_CodeIsBoldWithRealMinusesAndALinkIsItsText()
    {
        Assert.Equal(
            ".PP\nrun \\fBpodwake \\-\\-help\\fR, see \\fBexamples/hello\\fR and a\\ebackslash\n",
            MarkdownManPage.Body("run `podwake --help`, see [`examples/hello`](examples/hello) and a\\backslash\n"));
    }

    [Fact]
    public void Markdown_ALineStartingWithADot_IsNoRequest()
    {
        Assert.Equal(".PP\nplain\n\\&.SH not a section\n", MarkdownManPage.Body("plain\n.SH not a section\n"));
    }

    [Fact]
    public void Markdown_FencedCodeIsKeptAsItIs()
    {
        Assert.Equal(
            ".PP\n.RS 4\n.nf\nname: web\n\\&.hidden: \\en\n.fi\n.RE\n",
            MarkdownManPage.Body("```yaml\nname: web\n.hidden: \\n\n```\n"));
    }

    [Fact]
    public void Markdown_TableRowsBecomeTaggedParagraphs()
    {
        Assert.Equal(
            ".IP \\(bu 2\nitem\n.TP\n\\fBidle\\fR\nwhen; \\fBa|b\\fR\n",
            MarkdownManPage.Body("- item\n\n| key | meaning | x |\n|---|---|---|\n| `idle` | when | `a\\|b` |\n"));
    }
}
