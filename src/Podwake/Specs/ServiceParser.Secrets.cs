using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Podwake.Specs;

/// <summary><c>env_file:</c> and <c>secrets:</c>, the keys that bring values from host files into the container.</summary>
internal sealed partial class ServiceParser
{
    /// <summary>An env file is configuration, not data: past this it is a mistake (a log, a dump).</summary>
    private const long MaxEnvFileBytes = 1024 * 1024;

    private List<EnvFileSpec>? ParseEnvFiles(YamlNode node)
    {
        // One file may be written alone, as compose allows: env_file: ./app.env
        var items = node is YamlScalarNode && !IsNull(node) ? [node] : ReadSequence(node, SpecKeys.EnvFile, "a list of files", ", like [./app.env]")?.Children.ToList();
        if (items is null)
        {
            return null;
        }

        var files = new List<EnvFileSpec>();
        var ok = true;
        for (var i = 0; i < items.Count; i++)
        {
            var key = node is YamlSequenceNode ? $"{SpecKeys.EnvFile}[{i}]" : SpecKeys.EnvFile;
            var written = ReadString(items[i], key, "a file like ./app.env");
            var file = written is null ? null : ReadEnvFile(items[i], key, written);
            ok &= file is not null;
            if (file is not null)
            {
                files.Add(file);
            }
        }

        return ok ? files : null;
    }

    /// <summary>
    /// Reads an env file as podman does (podman-run(1), --env-file): <c>NAME=VALUE</c> lines, the value taken as written
    /// (no quotes removed); <c>#</c> comments and blank lines skipped. A line with a bare <c>NAME</c> (podman: take it
    /// from podman's own environment) is refused: that environment differs between serve, deploy and the activator.
    /// Problems are reported at the env file's own line.
    /// </summary>
    private EnvFileSpec? ReadEnvFile(YamlNode node, string key, string written)
    {
        var path = Resolve(written);
        var shown = Path.IsPathRooted(written) ? written : Path.Join(Path.GetDirectoryName(_file), written.StartsWith("./", StringComparison.Ordinal) ? written[2..] : written);
        if (!IsExpressibleEnvFile(node, key, path))
        {
            return null;
        }

        string text;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                Error(node, $"{key}: {path} does not exist; create it (NAME=value lines) or fix the path, which is relative to this file");
                return null;
            }

            if (info.Length > MaxEnvFileBytes)
            {
                Error(node, $"{key}: {path} is {info.Length} bytes, more than an env file's {MaxEnvFileBytes}; name the right file");
                return null;
            }

            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Error(node, $"{key}: cannot read {path}: {ex.Message}");
            return null;
        }

        var variables = new List<KeyValuePair<string, string>>();
        var ok = true;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r').TrimStart();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var at = new SourceLocation(shown, i + 1, lines[i].Length - lines[i].TrimStart().Length + 1);
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? line.TrimEnd() : line[..equals];
            if (!VariableName().IsMatch(name))
            {
                _diagnostics.Add(new Diagnostic(at, $"\"{name}\" is not a variable name; an env file has NAME=value lines (letters, digits and '_', not starting with a digit) and # comments"));
                ok = false;
            }
            else if (equals < 0)
            {
                _diagnostics.Add(new Diagnostic(at, $"{name} has no value; write {name}=VALUE ({name}= for an empty value): a bare name would take podman's own environment, which differs between serve, deploy and a wake"));
                ok = false;
            }
            else if (line.Contains('\0', StringComparison.Ordinal))
            {
                _diagnostics.Add(new Diagnostic(at, $"{name}: the value contains a NUL character, which no environment value can hold; remove it"));
                ok = false;
            }
            else
            {
                variables.Add(new(name, line[(equals + 1)..]));
            }
        }

        return ok ? new EnvFileSpec(path, variables, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16]) : null;
    }

    /// <summary>podman's <c>--env-file</c> takes the path as one argument: only a newline would break the spec copy.</summary>
    private bool IsExpressibleEnvFile(YamlNode node, string key, string path)
    {
        if (!path.Contains('\n', StringComparison.Ordinal))
        {
            return true;
        }

        Error(node, $"{key}: the path contains a newline; rename the file");
        return false;
    }

    private List<SecretSpec>? ParseSecrets(YamlNode node)
    {
        var sequence = ReadSequence(node, SpecKeys.Secrets, "a list of secrets", ", like [{name: db-pass, file: ./db-pass, env: DB_PASSWORD}]");
        if (sequence is null)
        {
            return null;
        }

        var secrets = new List<SecretSpec>();
        var ok = true;
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var secret = ParseSecret(sequence.Children[i], $"{SpecKeys.Secrets}[{i}]");
            ok &= secret is not null;
            if (secret is null)
            {
                continue;
            }

            if (secrets.FirstOrDefault(s => s.Destination == secret.Destination) is { } same)
            {
                Error(sequence.Children[i], $"{SpecKeys.Secrets}[{i}]: goes to {secret.Destination}, as the secret at {same.Location} does; give each its own env: or target:");
                ok = false;
            }

            secrets.Add(secret);
        }

        return ok ? secrets : null;
    }

    private SecretSpec? ParseSecret(YamlNode node, string key)
    {
        var map = ReadMapping(node, key, "a mapping like {name: db-pass, file: ./db-pass, env: DB_PASSWORD}");
        if (map is null)
        {
            return null;
        }

        var entries = Entries(map, key, SpecKeys.SecretItem);
        if (!entries.TryGetValue(SpecKeys.Name, out var nameEntry))
        {
            Error(map, $"{key}: name is required: the podman secret's name (podman secret ls), or with file: the name podwake gives it");
            return null;
        }

        var name = ReadString(nameEntry.Value, $"{key}.name", "a secret name like db-pass");
        if (name is not null && !SecretName().IsMatch(name))
        {
            Error(nameEntry.Value, $"{key}.name: \"{name}\" is not a secret name podwake uses; use up to 64 letters, digits, '_', '.' and '-', starting with a letter or digit");
            name = null;
        }

        string? file = null;
        if (entries.TryGetValue(SpecKeys.File, out var fileEntry) && ReadString(fileEntry.Value, $"{key}.file", "a file like ./db-pass") is { } written)
        {
            file = Resolve(written);
            if (!File.Exists(file))
            {
                Error(fileEntry.Value, $"{key}.file: {file} does not exist; create it (its whole content is the secret) or fix the path, which is relative to this file");
                file = null;
            }
        }

        string? env = null;
        string? target = null;
        var hasEnv = entries.TryGetValue(SpecKeys.Env, out var envEntry);
        var hasTarget = entries.TryGetValue(SpecKeys.Target, out var targetEntry);
        if (hasEnv && hasTarget)
        {
            Error(targetEntry.Key, $"{key}: env and target cannot be used together; a secret is either a variable (env:) or a file (target:)");
            return null;
        }

        if (hasEnv && ReadString(envEntry.Value, $"{key}.env", "a variable name like DB_PASSWORD") is { } variable)
        {
            if (VariableName().IsMatch(variable))
            {
                env = variable;
            }
            else
            {
                Error(envEntry.Value, $"{key}.env: \"{variable}\" is not a valid variable name; use letters, digits and '_', not starting with a digit (e.g. DB_PASSWORD)");
            }
        }

        if (hasTarget && ReadString(targetEntry.Value, $"{key}.target", "a path like /run/secrets/db-pass") is { } path)
        {
            target = path.StartsWith('/') ? path : $"{SecretSpec.DefaultFolder}/{path}";
            if (target.Contains(',', StringComparison.Ordinal) || target.Contains("/../", StringComparison.Ordinal) || target.EndsWith('/'))
            {
                Error(targetEntry.Value, $"{key}.target: \"{path}\" is not a file path podman can mount a secret at; give an absolute file path without ',' or '..', e.g. /run/secrets/db-pass");
                target = null;
            }
        }

        if (name is null || (hasEnv && env is null) || (hasTarget && target is null) || (fileEntry.Value is not null && file is null))
        {
            return null;
        }

        string? fingerprint = null;
        if (file is not null)
        {
            try
            {
                fingerprint = Convert.ToHexStringLower(HMACSHA256.HashData(FingerprintKey.Value, File.ReadAllBytes(file)))[..32];
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Error(fileEntry.Value ?? map, $"{key}.file: cannot read {file}: {ex.Message}");
                return null;
            }
        }

        return new SecretSpec
        {
            Name = name,
            File = file,
            Env = env,
            Target = env is null ? target ?? $"{SecretSpec.DefaultFolder}/{name}" : null,
            Fingerprint = fingerprint,
            Location = At(map),
        };
    }

    /// <summary>The host's machine ID (readable by all, but not part of what podman inspect shows), as the fingerprints' key.</summary>
    private static readonly Lazy<byte[]> FingerprintKey = new(() =>
    {
        try
        {
            return Encoding.UTF8.GetBytes("podwake:" + File.ReadAllText("/etc/machine-id").Trim());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "podwake:"u8.ToArray();
        }
    });

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\z")]
    private static partial Regex SecretName();
}
