using System.Net;
using Podwake.Podman;
using Xunit;

namespace Podwake.Tests.Podman;

/// <summary>Reading podman's pull streams (libpod's for short names, the compatible one otherwise); the bodies are shaped as podman 4.3.1 streamed them.</summary>
public sealed class PodmanClientPullTests
{
    private const string Id = "c85583db7ed3a4c9e6c5b2d0a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2";

    [Fact]
    public async Task ShortName_GoesThroughLibpod_ReportsEachTextLine_AndReturnsTheId()
    {
        using var api = new ScriptedPullApi(HttpStatusCode.OK,
            """
            {"stream":"Trying to pull registry.example.com/app:1...\n"}
            {"stream":"Getting image source signatures\n"}
            {"stream":"Copying blob sha256:0a1b\nCopying config sha256:c855\n"}
            {"stream":"Writing manifest to image destination\nStoring signatures\n"}
            {"images":["{{Id}}"],"id":"{{Id}}"}

            """.Replace("{{Id}}", Id, StringComparison.Ordinal));
        using var client = api.Client();
        var progress = new List<PullEvent>();

        var id = await client.PullImageAsync("app:1", progress.Add, CancellationToken.None);

        Assert.Equal(Id, id);
        Assert.Equal("POST /v4.0.0/libpod/images/pull?reference=app%3A1", api.Request);
        Assert.All(progress, p => Assert.Equal(PullEventKind.Text, p.Kind));
        Assert.Equal(
            ["Trying to pull registry.example.com/app:1...", "Getting image source signatures", "Copying blob sha256:0a1b", "Copying config sha256:c855",
                "Writing manifest to image destination", "Storing signatures"],
            progress.Select(p => p.Subject));
    }

    [Fact]
    public async Task QualifiedName_GoesThroughTheCompatibleEndpoint_ReportsBytesPerLayer_AndReturnsTheFullId()
    {
        // As podman 4.3.1 streamed a 30 MB + 8 MB image from a registry throttled to 4 MB/s (shortened).
        using var api = new ScriptedPullApi(
            (HttpStatusCode.OK,
                """
                {"status":"Pulling fs layer","progressDetail":{},"id":"0f9792da8bb3"}
                {"status":"Pulling fs layer","progressDetail":{},"id":"be72f40b7d1c"}
                {"status":"Download complete","progressDetail":{},"id":"be72f40b7d1c"}
                {"status":"Downloading","progressDetail":{"current":3571292,"total":30004259},"progress":"[=====\u003e     ]  3.571MB/30MB","id":"0f9792da8bb3"}
                {"status":"Download complete","progressDetail":{},"id":"0f9792da8bb3"}
                {"status":"Pulling fs layer","progressDetail":{},"id":"c85583db7ed3"}
                {"status":"Download complete","progressDetail":{},"id":"c85583db7ed3"}
                {"status":"Download complete","progressDetail":{},"id":"c85583db7ed3"}

                """),
            (HttpStatusCode.OK, $$"""{"Id":"{{Id}}","RepoDigests":[]}"""));
        using var client = api.Client();
        var progress = new List<PullEvent>();

        var id = await client.PullImageAsync("127.0.0.1:5000/app:1", progress.Add, CancellationToken.None);

        Assert.Equal(Id, id);
        Assert.Equal(
            ["POST /v4.0.0/images/create?fromImage=127.0.0.1%3A5000%2Fapp%3A1", "GET /v4.0.0/libpod/images/127.0.0.1%3A5000%2Fapp%3A1/json"],
            api.Requests);
        Assert.Equal(
            [
                new PullEvent(PullEventKind.LayerStarted, "0f9792da8bb3"),
                new PullEvent(PullEventKind.LayerStarted, "be72f40b7d1c"),
                new PullEvent(PullEventKind.LayerDone, "be72f40b7d1c"),
                new PullEvent(PullEventKind.LayerProgress, "0f9792da8bb3", 3571292, 30004259),
                new PullEvent(PullEventKind.LayerDone, "0f9792da8bb3"),
                new PullEvent(PullEventKind.LayerStarted, "c85583db7ed3"),
                new PullEvent(PullEventKind.LayerDone, "c85583db7ed3"),
            ],
            progress);
    }

    [Fact]
    public async Task CompatibleErrorLine_IsAPullException_NamingTheRegistry()
    {
        using var api = new ScriptedPullApi(HttpStatusCode.OK,
            """
            {"progressDetail":{},"errorDetail":{"message":"x"},"error":"initializing source docker://127.0.0.1:1/podwake-nothing:1: pinging container registry 127.0.0.1:1: Get \"https://127.0.0.1:1/v2/\": dial tcp 127.0.0.1:1: connect: connection refused"}

            """);
        using var client = api.Client();

        var error = await Assert.ThrowsAsync<ImagePullException>(
            () => client.PullImageAsync("127.0.0.1:1/podwake-nothing:1", null, CancellationToken.None));

        Assert.Equal(ImagePullFailure.Unreachable, error.Failure);
        Assert.Equal("127.0.0.1:1", error.Registry);
        Assert.Equal(ImagePullErrorsTests.ConnectionRefused, error.PodmanError);
        Assert.Single(api.Requests);
    }

    [Fact]
    public async Task CompatibleStreamCutAfterALayer_IsPodmanGoneAway()
    {
        // Ends like a finished pull ("Download complete"), but the image is not local: podman went away mid-pull.
        using var api = new ScriptedPullApi(
            (HttpStatusCode.OK, "{\"status\":\"Download complete\",\"progressDetail\":{},\"id\":\"be72f40b7d1c\"}\n"),
            (HttpStatusCode.NotFound, """{"cause":"failed to find image","message":"failed to find image","response":404}"""));
        using var client = api.Client();

        await Assert.ThrowsAsync<PodmanUnavailableException>(() => client.PullImageAsync("127.0.0.1:5000/app:1", null, CancellationToken.None));
    }

    [Fact]
    public async Task ShortName_TakesTheRegistryPodmanResolvedItTo()
    {
        // A short name resolved through registries.conf: podman says where it tries, then fails there.
        using var api = new ScriptedPullApi(HttpStatusCode.OK,
            """
            {"stream":"Trying to pull registry.example.com/library/app:1...\n"}
            {"error":"initializing source docker://registry.example.com/library/app:1: reading manifest 1 in registry.example.com/library/app: manifest unknown: manifest unknown"}

            """);
        using var client = api.Client();

        var error = await Assert.ThrowsAsync<ImagePullException>(() => client.PullImageAsync("app:1", null, CancellationToken.None));

        Assert.Equal("registry.example.com", error.Registry);
        Assert.Equal(ImagePullFailure.NotFound, error.Failure);
    }

    [Fact]
    public async Task RefusedBeforePulling_IsAPullException_WithPodmansMessage()
    {
        // podman 4.3.1 for an empty reference: 500 with its usual error body, no stream.
        using var api = new ScriptedPullApi(HttpStatusCode.InternalServerError,
            """{"cause":"reference parameter cannot be empty","message":"reference parameter cannot be empty","response":500}""");
        using var client = api.Client();

        var error = await Assert.ThrowsAsync<ImagePullException>(() => client.PullImageAsync("", null, CancellationToken.None));

        Assert.Equal("reference parameter cannot be empty", error.PodmanError);
    }

    [Fact]
    public async Task StreamEndingWithoutAnImage_IsPodmanGoneAway()
    {
        using var api = new ScriptedPullApi(HttpStatusCode.OK, "{\"stream\":\"Trying to pull registry.example.com/app:1...\\n\"}\n");
        using var client = api.Client();

        await Assert.ThrowsAsync<PodmanUnavailableException>(() => client.PullImageAsync("app:1", null, CancellationToken.None));
    }
}
