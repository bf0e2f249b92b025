using System.Security.Cryptography;
using System.Text;

namespace Podwake.Podman;

/// <summary>
/// Identity of a pre-created container: a hash of its <c>podman create</c> command and the image ID it was created
/// from, kept in the container's <see cref="Label"/>. Same hash on redeploy = the container is kept (same ID).
/// </summary>
internal static class SpecHash
{
    public const string Label = ContainerLabels.SpecHash;

    public static string Of(IReadOnlyList<string> createCommand, string? imageId)
    {
        // NUL cannot occur in an argument, so the joined words cannot collide with another list.
        var text = string.Join('\0', createCommand) + "\0image=" + (imageId ?? "");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
    }

    /// <summary>The create command with the hash label added (after <c>create</c>, before the image).</summary>
    public static List<string> Labelled(IReadOnlyList<string> createCommand, string hash)
    {
        var words = createCommand.ToList();
        words.InsertRange(2, ["--label", $"{Label}={hash}"]);
        return words;
    }
}
