using System.CommandLine;
using System.CommandLine.Help;

namespace Podwake.Cli;

/// <summary>
/// How a command, an argument and an option are written in <c>--help</c> and in podwake(1): both come from the
/// System.CommandLine tree through these, so they cannot disagree. An optional argument is in brackets
/// (<c>podwake status [NAME]</c>), one that takes several ends in <c>...</c> (<c>PATH...</c>).
/// </summary>
internal static class CommandSyntax
{
    /// <summary><c>podwake sidecar kill NAME KEY [SIGNAL] [options]</c>.</summary>
    public static string Usage(Command command)
    {
        var parts = new List<string> { FullName(command) };
        var arguments = Arguments(command);
        if (arguments.Length > 0)
        {
            parts.Add(arguments);
        }

        if (command.Subcommands.Any(c => !c.Hidden))
        {
            // Without an action of its own the command needs a subcommand (podwake sidecar).
            parts.Add(command.Action is null ? "COMMAND" : "[COMMAND]");
        }

        parts.Add("[options]");
        return string.Join(' ', parts);
    }

    /// <summary>The names from the root down: <c>podwake sidecar kill</c>.</summary>
    public static string FullName(Command command)
    {
        var names = new List<string>();
        for (Command? current = command; current is not null; current = current.Parents.OfType<Command>().FirstOrDefault())
        {
            names.Add(current is RootCommand ? "podwake" : current.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }

    /// <summary>The command's visible arguments in order: <c>NAME KEY [SIGNAL]</c>.</summary>
    public static string Arguments(Command command) =>
        string.Join(' ', command.Arguments.Where(a => !a.Hidden).Select(Argument));

    /// <summary><c>NAME</c>, <c>[NAME]</c>, <c>PATH...</c> or <c>[NAME...]</c>, after the argument's arity.</summary>
    public static string Argument(Argument argument)
    {
        var label = Label(argument) + (argument.Arity.MaximumNumberOfValues > 1 ? "..." : "");
        return argument.Arity.MinimumNumberOfValues == 0 ? $"[{label}]" : label;
    }

    /// <summary>The argument's own name, or its help name (<c>kube|knative</c>).</summary>
    public static string Label(Argument argument) => argument.HelpName ?? argument.Name;

    /// <summary><c>-v, --verbose</c>, <c>--spec FILE</c>: the aliases, short ones first, and the value's name.</summary>
    public static string Option(Option option)
    {
        var names = option.Aliases.Where(a => !a.StartsWith('/')).Append(option.Name)
            .Distinct(StringComparer.Ordinal)
            .OrderBy(a => a.StartsWith("--", StringComparison.Ordinal))
            .ThenBy(a => a, StringComparer.Ordinal);
        var text = string.Join(", ", names);
        return TakesValue(option) ? $"{text} {OptionValue(option)}" : text;
    }

    /// <summary>The option's value as usage names it: its help name, else its name in capitals (<c>--spec SPEC</c>).</summary>
    public static string OptionValue(Option option) => option.HelpName ?? option.Name.TrimStart('-').ToUpperInvariant();

    /// <summary>Whether the option is followed by a value (a switch such as <c>--json</c> is not).</summary>
    public static bool TakesValue(Option option) =>
        option.Arity.MaximumNumberOfValues > 0 && option.ValueType != typeof(bool) && option.ValueType != typeof(bool?);

    /// <summary>What the option's line says after its description: <c>[default: podman]</c>, <c>(required)</c>.</summary>
    public static string OptionNote(Option option) =>
        option.Required ? " (required)"
        : TakesValue(option) && option.HasDefaultValue && option.GetDefaultValue() is { } value ? $" [default: {value}]"
        : "";

    /// <summary>The options a command's help lists: its own, then those it inherits (<c>--help</c>), <c>--help</c> last.</summary>
    public static IReadOnlyList<Option> Options(Command command)
    {
        var options = command.Options.Where(o => !o.Hidden).ToList();
        for (var parent = command.Parents.OfType<Command>().FirstOrDefault(); parent is not null; parent = parent.Parents.OfType<Command>().FirstOrDefault())
        {
            options.AddRange(parent.Options.Where(o => o.Recursive && !o.Hidden && !options.Contains(o)));
        }

        return [.. options.OrderBy(o => o is HelpOption or VersionOption)];
    }

    /// <summary>A subcommand's line in its parent's list: <c>status [NAME]</c>.</summary>
    public static string SubcommandLine(Command command)
    {
        var arguments = Arguments(command);
        var sub = command.Subcommands.Any(c => !c.Hidden) ? (command.Action is null ? " COMMAND" : " [COMMAND]") : "";
        return (arguments.Length > 0 ? $"{command.Name} {arguments}" : command.Name) + sub;
    }
}
