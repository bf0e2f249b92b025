using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Podwake.Sidecars;

/// <summary>
/// Names derived from a side-car key, which is the caller's data (a network namespace name, a variable, part of an
/// argument) and may hold anything: a key that is a plain name (<c>qdhcp-7f3e…</c>) is used as it is, any other one
/// (spaces, quotes, <c>$</c>, newlines, <c>../</c>, or over 64 bytes) by a hash, so no key reaches a path or a container
/// name with a character that means something there.
/// </summary>
internal static partial class SidecarNames
{
    /// <summary>Keys longer than this are refused (a netns name is at most 255 bytes; a key is a name, not a payload).</summary>
    public const int MaxKeyBytes = 255;

    /// <summary>The key's file stem in the list and its container's suffix: the key itself, or <c>_</c> and 16 hex digits of its SHA-256.</summary>
    /// <remarks>A plain key starts with a letter or digit, so it never looks like a hashed one.</remarks>
    public static string Stem(string key) =>
        PlainKey().IsMatch(key) ? key : "_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16];

    /// <summary>The container of <paramref name="key"/>: <c>podwake-NAME.STEM</c>.</summary>
    public static string Container(string service, string key) => $"podwake-{service}.{Stem(key)}";

    /// <summary>Every container of the service's keys starts so.</summary>
    public static string ContainerPrefix(string service) => $"podwake-{service}.";

    /// <summary>Why <paramref name="key"/> cannot be a key, or null when it can.</summary>
    public static string? Problem(string key)
    {
        if (key.Length == 0)
        {
            return "the key is empty";
        }

        if (Encoding.UTF8.GetByteCount(key) > MaxKeyBytes)
        {
            return $"the key is longer than {MaxKeyBytes} bytes";
        }

        return key.Contains('\0', StringComparison.Ordinal) ? "the key contains a NUL character" : null;
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\z")]
    private static partial Regex PlainKey();
}
