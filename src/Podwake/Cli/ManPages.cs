using System.CommandLine;
using System.Text;

namespace Podwake.Cli;

/// <summary>
/// podwake(1), written from the same command tree as <c>--help</c> (<see cref="CommandSyntax"/>), and podwake.yaml(5),
/// docs/service-file.md (embedded in the binary) rendered by <see cref="MarkdownManPage"/>: neither can drift from what
/// it documents.
/// </summary>
internal static class ManPages
{
    public static IReadOnlyList<string> Names { get; } = ["podwake", "podwake.yaml"];

    /// <summary>The resource name of docs/service-file.md (Podwake.csproj).</summary>
    public const string ServiceFileResource = "service-file.md";

    public static string For(string name, Command root) => name switch
    {
        "podwake" => Podwake(root),
        "podwake.yaml" => ServiceFile(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "podwake or podwake.yaml"),
    };

    public static string Podwake(Command root)
    {
        var page = new StringBuilder();
        page.Append(".TH PODWAKE 1 \"\" podwake \"User Commands\"\n");
        page.Append(".SH NAME\npodwake \\- ").Append(Roff.Escape(Summary(root))).Append('\n');
        page.Append(".SH SYNOPSIS\n.B podwake\n.I COMMAND\n[\\fIoptions\\fR]\n");
        page.Append("""
            .SH DESCRIPTION
            podwake turns a container image into a service that costs nothing while nobody uses it.
            A listening socket stays open on the host; the first connection or datagram wakes the container
            with podman, traffic is passed to it once it is ready, and after a quiet period the container is
            stopped again.
            The services are described by service files, \fBpodwake.yaml\fR(5).
            .PP
            Two runtimes run the same files.
            \fBpodwake serve\fR is one foreground process that holds the listeners and wakes and stops the
            containers through podman's REST API.
            \fBpodwake deploy\fR installs systemd units instead: a socket unit holds the listeners, and
            \fBpodwake activate\fR, started by it on the first connection, wakes the container unit and exits
            when the service is idle again.

            """);
        page.Append(".SH COMMANDS\n");
        foreach (var command in Descendants(root).Where(c => !IsHidden(c)))
        {
            Command(page, command);
        }

        page.Append(".SH \"INTERNAL COMMANDS\"\nRun by the units podwake deploys and by its tests; not listed by \\fB\\-\\-help\\fR.\n");
        foreach (var command in Descendants(root).Where(IsHidden))
        {
            Command(page, command);
        }

        page.Append(".SH \"GLOBAL OPTIONS\"\n");
        foreach (var option in CommandSyntax.Options(root))
        {
            page.Append(".TP\n.B ").Append(Roff.Literal(CommandSyntax.Option(option))).Append('\n').Append(Roff.Line(Roff.Escape(option.Description ?? ""))).Append('\n');
        }

        page.Append("""
            .SH "EXIT STATUS"
            .TP
            .B 0
            Success.
            .TP
            .B 1
            A user error: a service file with problems (each printed as FILE:LINE:COL: error: MESSAGE), an unknown service.
            .TP
            .B 2
            An environment error: podman or systemd missing or unusable; the message says what to install or start.
            .TP
            .B 3
            \fBpodwake update\fR only: an update rolled back (the new image was not ready in time; the service still runs the old one).
            .TP
            .B 128+N
            \fBpodwake deploy\fR and \fBundeploy\fR interrupted by signal N (130 for SIGINT, 143 for SIGTERM), after rolling back.
            .SH FILES
            .TP
            .I ~/.config/podwake/services/NAME.yaml\fR, \fI/etc/podwake/services/NAME.yaml
            The copy of a deployed service's file, which its activator reads.
            .TP
            .I /run/podwake\fR, \fI$XDG_RUNTIME_DIR/podwake
            Control sockets of running serves and activators, service-name locks.
            .TP
            .I /etc/podwake/deployed/NAME
            Root's record of where a service was deployed.
            .SH "SEE ALSO"
            .BR podwake.yaml (5),
            .BR podman (1),
            .BR systemd.socket (5),
            .BR systemd-socket-proxyd (8)

            """);
        return page.ToString();
    }

    public static string ServiceFile()
    {
        using var stream = typeof(ManPages).Assembly.GetManifestResourceStream(ServiceFileResource)
            ?? throw new InvalidOperationException($"the {ServiceFileResource} resource is missing from the podwake binary");
        using var reader = new StreamReader(stream);
        return ".TH PODWAKE.YAML 5 \"\" podwake \"File Formats\"\n"
            + ".SH NAME\npodwake.yaml \\- podwake's service file\n.SH DESCRIPTION\n"
            + MarkdownManPage.Body(reader.ReadToEnd());
    }

    private static void Command(StringBuilder page, Command command)
    {
        page.Append(".SS ").Append(Roff.Quoted(Roff.Literal(CommandSyntax.Usage(command)))).Append('\n');
        page.Append(Roff.Line(Roff.Escape(command.Description ?? ""))).Append('\n');
        foreach (var argument in command.Arguments.Where(a => !a.Hidden))
        {
            page.Append(".TP\n.I ").Append(Roff.Literal(CommandSyntax.Label(argument))).Append('\n')
                .Append(Roff.Line(Roff.Escape((argument.Description ?? "")))).Append('\n');
        }

        foreach (var option in command.Options.Where(o => !o.Hidden))
        {
            page.Append(".TP\n.B ").Append(Roff.Literal(CommandSyntax.Option(option))).Append('\n')
                .Append(Roff.Line(Roff.Escape((option.Description ?? "") + CommandSyntax.OptionNote(option)))).Append('\n');
        }
    }

    /// <summary>Every command below <paramref name="root"/>, depth first, in the order <c>--help</c> lists them.</summary>
    private static IEnumerable<Command> Descendants(Command root) =>
        root.Subcommands.SelectMany(c => c.Subcommands.Count > 0 && c.Action is null ? Descendants(c).Prepend(c) : [c]);

    private static bool IsHidden(Command command)
    {
        for (Command? current = command; current is not null; current = current.Parents.OfType<Command>().FirstOrDefault())
        {
            if (current.Hidden)
            {
                return true;
            }
        }

        return false;
    }

    private static string Summary(Command root)
    {
        var description = root.Description ?? "";
        var colon = description.IndexOf(": ", StringComparison.Ordinal);
        return colon >= 0 ? description[(colon + 2)..] : description;
    }
}
