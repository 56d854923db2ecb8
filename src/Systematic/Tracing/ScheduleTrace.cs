using System.Globalization;
using System.Text;
using System.Text.Json;

namespace HighMemConcurrency.Systematic.Tracing;

/// <summary>
/// A recorded schedule in the versioned <c>hmc-trace/1</c> JSON format: what was tested, how, the bug, and every
/// decision. Thread ids are creation indices, so a trace replays on any machine.
/// </summary>
public sealed record ScheduleTrace
{
    /// <summary>The format identifier this version reads and writes.</summary>
    public const string FormatId = "hmc-trace/1";

    /// <summary>Name and version of the tool that wrote the trace.</summary>
    public required string Tool { get; init; }

    /// <summary>What was tested.</summary>
    public required string TestName { get; init; }

    /// <summary>
    /// The assembly that held the test when it was not the tool's own ("name version"), or null; written only when
    /// set, so traces of the model's own scenarios are unchanged.
    /// </summary>
    public string? Assembly { get; init; }

    /// <summary>The tested scenario's parameters (scenario, variant, sizes...).</summary>
    public required IReadOnlyDictionary<string, string> Parameters { get; init; }

    /// <summary>The strategy that found the schedule.</summary>
    public required string Strategy { get; init; }

    /// <summary>The run's seed.</summary>
    public required ulong Seed { get; init; }

    /// <summary>The 1-based iteration that produced the schedule.</summary>
    public required int Iteration { get; init; }

    /// <summary>PCT depth of the run.</summary>
    public required int PctDepth { get; init; }

    /// <summary>Step bound of the run; replay uses it too so a livelock replays as one.</summary>
    public required int MaxSteps { get; init; }

    /// <summary>Whether data races were detected in the run.</summary>
    public required bool DetectDataRaces { get; init; }

    /// <summary>
    /// The memory model of the run; written (as <c>options.memoryModel</c>, with <c>options.storeBufferSize</c>) only
    /// when it is not <see cref="Systematic.MemoryModel.Sc"/>, so traces of sequentially consistent runs are unchanged.
    /// A replay runs under the recorded model: a store buffer's drain is a decision like a thread's step.
    /// </summary>
    public MemoryModel MemoryModel { get; init; } = MemoryModel.Sc;

    /// <summary>The store-buffer bound of a <see cref="Systematic.MemoryModel.Tso"/> run (ignored under SC).</summary>
    public int StoreBufferSize { get; init; } = new TestOptions().StoreBufferSize;

    /// <summary>Kind of the bug, or null for a clean schedule.</summary>
    public BugKind? BugKind { get; init; }

    /// <summary>Message of the bug, or null.</summary>
    public string? BugMessage { get; init; }

    /// <summary>Every decision of the schedule in order.</summary>
    public required IReadOnlyList<Decision> Decisions { get; init; }

    /// <summary>Our engine's name, the default when a trace names none.</summary>
    public const string DefaultEngine = "hmc";

    /// <summary>
    /// The engine that found the schedule: <see cref="DefaultEngine"/> (written only when it is another) or
    /// <c>coyote</c>, whose own reproducible trace is then <see cref="EngineTrace"/>.
    /// </summary>
    public string Engine { get; init; } = DefaultEngine;

    /// <summary>Another engine's own trace (a JSON object), kept verbatim; null for ours.</summary>
    public string? EngineTrace { get; init; }

    /// <summary>Writes the trace as indented JSON. Runs of the same decision are written as <c>t1*5</c>.</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions
        {
            Indented = true,
            // Messages quote names ('kmap_lock'); a trace is a file for people too, not HTML to embed.
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            w.WriteStartObject();
            w.WriteString("format", FormatId);
            w.WriteString("tool", Tool);
            if (Engine != DefaultEngine) w.WriteString("engine", Engine);
            w.WriteString("test", TestName);
            if (Assembly is not null) w.WriteString("assembly", Assembly);
            w.WriteStartObject("parameters");
            foreach (var (k, v) in Parameters.OrderBy(p => p.Key, StringComparer.Ordinal)) w.WriteString(k, v);
            w.WriteEndObject();
            w.WriteString("strategy", Strategy);
            w.WriteString("seed", Seed.ToString(CultureInfo.InvariantCulture));
            w.WriteNumber("iteration", Iteration);
            w.WriteStartObject("options");
            w.WriteNumber("pctDepth", PctDepth);
            w.WriteNumber("maxSteps", MaxSteps);
            w.WriteBoolean("detectDataRaces", DetectDataRaces);
            if (MemoryModel != MemoryModel.Sc)
            {
                w.WriteString("memoryModel", MemoryModelNames.Name(MemoryModel));
                w.WriteNumber("storeBufferSize", StoreBufferSize);
            }
            w.WriteEndObject();
            if (BugKind is { } kind)
            {
                w.WriteStartObject("bug");
                w.WriteString("kind", kind.ToString());
                w.WriteString("message", BugMessage ?? "");
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("bug");
            }
            w.WriteNumber("decisionCount", Decisions.Count);
            w.WriteStartArray("decisions");
            for (var i = 0; i < Decisions.Count;)
            {
                var run = 1;
                while (i + run < Decisions.Count && Decisions[i + run] == Decisions[i]) run++;
                w.WriteStringValue(run == 1 ? Decisions[i].ToString() : $"{Decisions[i]}*{run}");
                i += run;
            }
            w.WriteEndArray();
            if (EngineTrace is not null)
            {
                using var inner = JsonDocument.Parse(EngineTrace);
                w.WritePropertyName(Engine);
                inner.RootElement.WriteTo(w);
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Reads a trace; a malformed, truncated or wrong-version document throws <see cref="TraceFormatException"/>.</summary>
    public static ScheduleTrace Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            // Bytes that are not text, or text that does not open a JSON object, are no trace at all; only a document
            // that opens like one and stops before its end is a truncated trace.
            var text = json.AsSpan().Trim();
            if (text.IndexOfAny('\0', '\uFFFD') >= 0)
                throw new TraceFormatException("(document)", "not JSON: the file holds binary data, not a trace");
            if (text.IsEmpty || text[0] != '{')
                throw new TraceFormatException("(document)", "not JSON: a trace is a JSON object starting with '{'");
            // A cut-off document makes the reader fail at its end, where its reported position means little.
            if (text[^1] != '}')
                throw new TraceFormatException("(document)", "not valid JSON: the document ends early, the file is truncated or malformed");
            throw new TraceFormatException("(document)", $"not valid JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: the file is malformed");
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new TraceFormatException("(document)", "expected a JSON object");
            var format = RequiredString(root, "format");
            if (format != FormatId) throw new TraceFormatException("format", $"unsupported version '{format}', this tool reads '{FormatId}'");
            var options = Required(root, "options", JsonValueKind.Object);
            var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in Required(root, "parameters", JsonValueKind.Object).EnumerateObject())
            {
                if (p.Value.ValueKind != JsonValueKind.String) throw new TraceFormatException($"parameters.{p.Name}", "expected a string");
                parameters[p.Name] = p.Value.GetString()!;
            }
            var seedText = RequiredString(root, "seed");
            if (!ulong.TryParse(seedText, NumberStyles.None, CultureInfo.InvariantCulture, out var seed))
                throw new TraceFormatException("seed", $"'{seedText}' is not an unsigned 64-bit integer");

            BugKind? bugKind = null;
            string? bugMessage = null;
            if (!root.TryGetProperty("bug", out var bug)) throw new TraceFormatException("bug", "missing");
            if (bug.ValueKind == JsonValueKind.Object)
            {
                var kindText = RequiredString(bug, "kind", "bug.kind");
                if (!Enum.TryParse<BugKind>(kindText, ignoreCase: false, out var k) || !Enum.IsDefined(k))
                    throw new TraceFormatException("bug.kind", $"unknown bug kind '{kindText}' (valid: {string.Join(", ", Enum.GetNames<BugKind>())})");
                bugKind = k;
                bugMessage = RequiredString(bug, "message", "bug.message");
            }
            else if (bug.ValueKind != JsonValueKind.Null)
            {
                throw new TraceFormatException("bug", "expected an object or null");
            }

            var decisions = ParseDecisions(Required(root, "decisions", JsonValueKind.Array));
            var count = RequiredInt(root, "decisionCount", "decisionCount", 0);
            if (count != decisions.Count)
                throw new TraceFormatException("decisions", $"holds {decisions.Count} decisions but decisionCount says {count}: the trace is truncated or edited");

            var engine = root.TryGetProperty("engine", out var engineElement)
                ? engineElement.ValueKind == JsonValueKind.String ? engineElement.GetString()! : throw new TraceFormatException("engine", "expected a string")
                : DefaultEngine;
            string? engineTrace = null;
            if (engine != DefaultEngine) engineTrace = Required(root, engine, JsonValueKind.Object).GetRawText();
            var assembly = root.TryGetProperty("assembly", out _) ? RequiredString(root, "assembly") : null;
            var memoryModel = MemoryModel.Sc;
            if (options.TryGetProperty("memoryModel", out _))
            {
                var name = RequiredString(options, "memoryModel", "options.memoryModel");
                memoryModel = MemoryModelNames.Parse(name)
                    ?? throw new TraceFormatException("options.memoryModel", $"'{name}' is not a memory model (expected {MemoryModelNames.Valid})");
            }
            var storeBufferSize = memoryModel == MemoryModel.Sc
                ? new TestOptions().StoreBufferSize
                : RequiredInt(options, "storeBufferSize", "options.storeBufferSize", 1);

            return new ScheduleTrace
            {
                Engine = engine,
                EngineTrace = engineTrace,
                Tool = RequiredString(root, "tool"),
                TestName = RequiredString(root, "test"),
                Assembly = assembly,
                Parameters = parameters,
                Strategy = RequiredString(root, "strategy"),
                Seed = seed,
                Iteration = RequiredInt(root, "iteration", "iteration", 1),
                PctDepth = RequiredInt(options, "pctDepth", "options.pctDepth", 1),
                MaxSteps = RequiredInt(options, "maxSteps", "options.maxSteps", 1),
                DetectDataRaces = RequiredBool(options, "detectDataRaces", "options.detectDataRaces"),
                MemoryModel = memoryModel,
                StoreBufferSize = storeBufferSize,
                BugKind = bugKind,
                BugMessage = bugMessage,
                Decisions = decisions,
            };
        }
    }

    private static List<Decision> ParseDecisions(JsonElement array)
    {
        var list = new List<Decision>();
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var field = $"decisions[{index}]";
            if (item.ValueKind != JsonValueKind.String) throw new TraceFormatException(field, "expected a string such as \"t1\", \"c0\" or \"t1*4\"");
            var text = item.GetString()!;
            var star = text.IndexOf('*', StringComparison.Ordinal);
            var repeat = 1;
            if (star >= 0 && (!int.TryParse(text.AsSpan(star + 1), NumberStyles.None, CultureInfo.InvariantCulture, out repeat) || repeat < 1))
                throw new TraceFormatException(field, $"bad repeat count in '{text}'");
            var head = star >= 0 ? text[..star] : text;
            if (head.Length < 2 || (head[0] != 't' && head[0] != 'c') ||
                !int.TryParse(head.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                throw new TraceFormatException(field, $"'{text}' is not a decision (expected t<thread> or c<value>, optionally *<repeat>)");
            var decision = new Decision(head[0] == 't' ? DecisionKind.Thread : DecisionKind.Choice, value);
            for (var r = 0; r < repeat; r++) list.Add(decision);
            index++;
        }
        return list;
    }

    private static JsonElement Required(JsonElement obj, string name, JsonValueKind kind, string? field = null)
    {
        field ??= name;
        if (!obj.TryGetProperty(name, out var value)) throw new TraceFormatException(field, "missing");
        if (value.ValueKind != kind) throw new TraceFormatException(field, $"expected {Describe(kind)}, found {Describe(value.ValueKind)}");
        return value;
    }

    private static string RequiredString(JsonElement obj, string name, string? field = null) =>
        Required(obj, name, JsonValueKind.String, field).GetString()!;

    private static int RequiredInt(JsonElement obj, string name, string field, int min)
    {
        var value = Required(obj, name, JsonValueKind.Number, field);
        if (!value.TryGetInt32(out var n) || n < min) throw new TraceFormatException(field, $"expected an integer ≥ {min}");
        return n;
    }

    private static bool RequiredBool(JsonElement obj, string name, string field)
    {
        if (!obj.TryGetProperty(name, out var value)) throw new TraceFormatException(field, "missing");
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new TraceFormatException(field, "expected true or false"),
        };
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };

    /// <summary>
    /// <paramref name="options"/> with everything this trace recorded about its run put back: seed, PCT depth, step
    /// bound, race detection, memory model and what was tested. Replay and the minimizer both start from these.
    /// </summary>
    internal TestOptions RecordedOptions(TestOptions options) =>
        options with
        {
            Seed = Seed,
            PctDepth = PctDepth,
            MaxSteps = MaxSteps,
            DetectDataRaces = DetectDataRaces,
            MemoryModel = MemoryModel,
            StoreBufferSize = StoreBufferSize,
            TestName = TestName,
            Assembly = Assembly,
            Parameters = Parameters,
        };

    /// <summary>
    /// The options that re-run this trace's iteration: the caller's, with everything the trace recorded put back.
    /// A strategy the replaying engine does not know becomes <c>random</c> (its decisions come from the trace anyway).
    /// </summary>
    internal TestOptions ToReplayOptions(TestOptions? options, IReadOnlyList<string> knownStrategies) =>
        RecordedOptions(options ?? new TestOptions()) with
        {
            Iterations = 1,
            Strategy = knownStrategies.Contains(Strategy) ? Strategy : "random",
            TimeLimit = null,
        };
}
