using Podwake.Podman;

namespace Podwake.IntegrationTests.Infrastructure;

/// <summary>
/// The busybox web-server image the tests run, built once per test run into the store of whoever runs the tests
/// (root's or the rootless user's): <c>FROM scratch</c> + Debian's static busybox + a page.
/// </summary>
internal static class TestImages
{
    public const string Busybox = "localhost/podwake-it-busybox:1";

    /// <summary>The page the image serves at <c>/</c> on port 8080.</summary>
    public const string PageText = "podwake integration test page";

    private static readonly Lazy<Task<string>> LazyBusybox = new(() => BuildBusyboxAsync(Busybox));

    /// <summary>Builds <see cref="Busybox"/> on first use; returns its tag.</summary>
    public static Task<string> BusyboxAsync() => LazyBusybox.Value;

    /// <summary>Builds a busybox httpd image as <paramref name="tag"/> from a fresh context.</summary>
    public static async Task<string> BuildBusyboxAsync(string tag, CancellationToken cancellationToken = default)
    {
        using var context = new TempDirectory();
        WriteBusyboxContext(context.Path);
        await new ImageBuilder().BuildAsync(context.Path, null, null, tag, cancellationToken);
        return tag;
    }

    public static void WriteBusyboxContext(string directory)
    {
        const string busybox = "/bin/busybox";
        if (!File.Exists(busybox))
        {
            throw new InvalidOperationException("the test image needs a static busybox: apt-get install busybox-static");
        }

        File.Copy(busybox, Path.Combine(directory, "busybox"));
        Directory.CreateDirectory(Path.Combine(directory, "www"));
        File.WriteAllText(Path.Combine(directory, "www", "index.html"), PageText + "\n");
        File.WriteAllText(Path.Combine(directory, "Containerfile"), """
            FROM scratch
            COPY busybox /bin/busybox
            COPY www /www
            EXPOSE 8080
            CMD ["/bin/busybox", "httpd", "-f", "-p", "8080", "-h", "/www"]
            """);
    }
}
