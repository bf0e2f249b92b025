using System.Text;

namespace Podwake.Podman;

/// <summary>Keeps the last lines a child process printed (both streams), for error messages. Thread-safe.</summary>
internal sealed class OutputTail
{
    private readonly Queue<string> _lines = new();
    private readonly int _maxLines;
    private readonly Lock _lock = new();

    public OutputTail(int maxLines = 40) => _maxLines = maxLines;

    public void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            _lines.Enqueue(line);
            while (_lines.Count > _maxLines)
            {
                _lines.Dequeue();
            }
        }
    }

    public override string ToString()
    {
        lock (_lock)
        {
            var text = new StringBuilder();
            foreach (var line in _lines)
            {
                text.AppendLine(line);
            }

            return text.ToString().TrimEnd();
        }
    }
}
