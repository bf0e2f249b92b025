using System.Text.Json;
using Microsoft.Win32.SafeHandles;
using Podwake.Host;

namespace Podwake.Logs;

/// <summary>
/// Reads a service's log file (<see cref="ServiceLogFile"/>) from where it last stopped, line by complete line. The
/// file is held open, so when the writer rotates it (renames it to .1) the rest of it is still read before the new
/// one, from its start. Opened with O_NOFOLLOW: a link in its place is not read.
/// </summary>
internal sealed class LogFileFollower(string path) : IDisposable
{
    private SafeFileHandle? _file;
    private ulong _inode;
    private long _offset;

    /// <summary>A follower that starts at the current end of the file: only lines written from now on.</summary>
    public static LogFileFollower AtEnd(string path)
    {
        var follower = new LogFileFollower(path);
        if (follower.TryOpen())
        {
            follower._offset = RandomAccess.GetLength(follower._file!);
        }

        return follower;
    }

    /// <summary>The complete lines written since the last call (a line being written is left for the next).</summary>
    public IReadOnlyList<ServiceLogRecord> ReadNew()
    {
        var records = new List<ServiceLogRecord>();
        if (_file is null && !TryOpen())
        {
            return records;
        }

        Drain(records);
        if (NativeFiles.Stat(path) is not { } now || now.Inode != _inode)
        {
            // Rotated (or removed): what the old file got is read above; the new one from its start.
            Close();
            if (TryOpen())
            {
                Drain(records);
            }
        }

        return records;
    }

    public void Dispose() => Close();

    /// <summary>A line of the file, or null when it is not one (a line cut by a full disk, a foreign line).</summary>
    internal static ServiceLogRecord? Parse(ReadOnlySpan<byte> line)
    {
        try
        {
            return JsonSerializer.Deserialize(line, LogsJsonContext.Default.ServiceLogRecord);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private bool TryOpen()
    {
        var fd = NativeFiles.Open(path, NativeFiles.ORdOnly | NativeFiles.ONoFollow | NativeFiles.OCloexec, 0);
        if (fd < 0)
        {
            return false;
        }

        _file = new SafeFileHandle(fd, ownsHandle: true);
        if (NativeFiles.StatAt(_file, "") is not { IsRegularFile: true } stat)
        {
            Close();
            return false;
        }

        _inode = stat.Inode;
        _offset = 0;
        return true;
    }

    private void Drain(List<ServiceLogRecord> records)
    {
        var length = RandomAccess.GetLength(_file!);
        if (length <= _offset)
        {
            return;
        }

        var buffer = new byte[length - _offset];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = RandomAccess.Read(_file!, buffer.AsSpan(read), _offset + read);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        var data = buffer.AsSpan(0, read);
        var consumed = data.LastIndexOf((byte)'\n') + 1;
        foreach (var range in data[..consumed].Split((byte)'\n'))
        {
            if (data[range].Length > 0 && Parse(data[range]) is { } record)
            {
                records.Add(record);
            }
        }

        _offset += consumed;
    }

    private void Close()
    {
        _file?.Dispose();
        _file = null;
    }
}
