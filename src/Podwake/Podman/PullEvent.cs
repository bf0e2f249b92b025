namespace Podwake.Podman;

/// <summary>
/// One step of a pull as podman reported it: <paramref name="Subject"/> is the blob (the first 12 hex digits of its
/// digest, as podman names it) or, for <see cref="PullEventKind.Text"/>, the text. <paramref name="Current"/> and
/// <paramref name="Total"/> are bytes, known only for <see cref="PullEventKind.LayerProgress"/>.
/// </summary>
internal sealed record PullEvent(PullEventKind Kind, string Subject, long Current = 0, long Total = 0);
