using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Podwake.Specs;

/// <summary>
/// What <c>sidecar:</c> reads from a call: <c>key</c> (which container the call belongs to) and <c>pass_env</c> (the
/// variables of the call's environment its container gets).
/// </summary>
internal sealed partial class ServiceParser
{
    private const string KeyForms = "netns, env:NAME or arg:REGEX";
    private const string ArgExample = "arg:^--pid-file=.*/([^/]+)/pid$";

    /// <summary>Variables podwake gives a meaning of its own in a call's environment (<c>PODWAKE_FOREGROUND</c>).</summary>
    private const string ReservedVariablePrefix = "PODWAKE_";

    /// <summary>
    /// How long an <c>arg:</c> expression may run on one argument: sync applies it to whatever a caller passes, and an
    /// expression that backtracks badly must fail that call, not stall every other key's sync.
    /// </summary>
    private static readonly TimeSpan KeyMatchTimeout = TimeSpan.FromMilliseconds(100);

    private SidecarKey? ParseSidecarKey(YamlNode node)
    {
        const string key = "sidecar.key";
        var text = ReadString(node, key, KeyForms);
        if (text is null)
        {
            return null;
        }

        if (text == "netns")
        {
            return SidecarKey.Netns;
        }

        if (text.StartsWith("env:", StringComparison.Ordinal))
        {
            var name = text["env:".Length..];
            if (!VariableName().IsMatch(name))
            {
                Error(node, $"{key}: \"{text}\" does not name a variable; write env: and a name of letters, digits and '_', not starting with a digit, e.g. env:NETWORK_ID");
                return null;
            }

            return IsReservedVariable(node, key, name) ? null : new SidecarKey { Kind = SidecarKeyKind.Env, Variable = name };
        }

        if (text.StartsWith("arg:", StringComparison.Ordinal))
        {
            return ParseArgKey(node, key, text["arg:".Length..]);
        }

        Error(node, $"{key}: \"{text}\" is not a key;{KeySuggestions.DidYouMean(text, ["netns"])} use {KeyForms}, e.g. key: netns");
        return null;
    }

    private SidecarKey? ParseArgKey(YamlNode node, string key, string pattern)
    {
        if (pattern.Length == 0)
        {
            Error(node, $"{key}: arg: needs a regular expression after it, matched against each argument of a call (its first capture group is the key), e.g. {ArgExample}");
            return null;
        }

        try
        {
            return new SidecarKey { Kind = SidecarKeyKind.Arg, Pattern = new Regex(pattern, RegexOptions.CultureInvariant, KeyMatchTimeout) };
        }
        catch (ArgumentException e)
        {
            Error(node, $"{key}: \"{pattern}\" is not a valid regular expression: {e.Message.TrimEnd('.')}; fix the expression after arg: (.NET syntax), e.g. {ArgExample}");
            return null;
        }
    }

    private List<string>? ParsePassEnv(YamlNode node)
    {
        const string key = "sidecar.pass_env";
        var sequence = ReadSequence(node, key, "a list of variable names", "; write it as a list, like [NEUTRON_DEBUG]");
        if (sequence is null)
        {
            return null;
        }

        var names = new List<string>();
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        var ok = true;
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var item = sequence.Children[i];
            var itemKey = $"{key}[{i}]";
            var name = ReadString(item, itemKey, "a variable name like NEUTRON_DEBUG");
            if (name is not null && !VariableName().IsMatch(name))
            {
                Error(item, $"{itemKey}: \"{name}\" is not a valid variable name; use letters, digits and '_', not starting with a digit (e.g. NEUTRON_DEBUG)");
                name = null;
            }
            else if (name is not null && first.TryGetValue(name, out var earlier))
            {
                Error(item, $"{itemKey}: {name} is already listed at {key}[{earlier}]; remove one");
                name = null;
            }
            else if (name is not null && IsReservedVariable(item, itemKey, name))
            {
                name = null;
            }

            if (name is null)
            {
                ok = false;
                continue;
            }

            first[name] = i;
            names.Add(name);
        }

        return ok ? names : null;
    }

    /// <summary>True, after reporting, when <paramref name="name"/> is one of podwake's own variables.</summary>
    private bool IsReservedVariable(YamlNode node, string key, string name)
    {
        if (!name.StartsWith(ReservedVariablePrefix, StringComparison.Ordinal))
        {
            return false;
        }

        Error(node, $"{key}: {name}: variables starting with {ReservedVariablePrefix} are podwake's own (PODWAKE_FOREGROUND=1 makes a call wait for its container's exit); use another name");
        return true;
    }
}
