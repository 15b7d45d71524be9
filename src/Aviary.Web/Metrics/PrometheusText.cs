using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Aviary.Web.Metrics;

/// <summary>
/// Renders the instruments of one <see cref="Meter"/> in the Prometheus text exposition format
/// (version 0.0.4): a listener collects every observable instrument on demand, then each family is
/// written as HELP, TYPE and its samples. Counters get the conventional <c>_total</c> suffix.
/// </summary>
public sealed class PrometheusText : IDisposable
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly MeterListener listener = new();
    private readonly List<Instrument> instruments = [];
    private readonly Dictionary<Instrument, List<(string Labels, string Value)>> samples = [];
    private readonly Lock gate = new();

    public PrometheusText(Meter meter)
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                lock (gate)
                {
                    instruments.Add(instrument);
                }

                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i, v.ToString(CultureInfo.InvariantCulture), tags));
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Add(i, v.ToString(CultureInfo.InvariantCulture), tags));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i, Number(v), tags));
        listener.Start();
    }

    /// <summary>Observes every instrument now and returns the exposition text.</summary>
    public string Scrape()
    {
        lock (gate)
        {
            samples.Clear();
            listener.RecordObservableInstruments();
            var text = new StringBuilder();
            foreach (var instrument in instruments)
            {
                if (!samples.TryGetValue(instrument, out var values) || values.Count == 0)
                {
                    continue;
                }

                var counter = instrument is ObservableCounter<long> or ObservableCounter<int> or ObservableCounter<double> or Counter<long> or Counter<int> or Counter<double>;
                var name = MetricName(instrument.Name) + (counter ? "_total" : string.Empty);
                var help = instrument.Description ?? instrument.Name;
                if (!string.IsNullOrEmpty(instrument.Unit))
                {
                    help += $" Unit: {instrument.Unit}.";
                }

                text.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(help)).Append('\n');
                text.Append("# TYPE ").Append(name).Append(' ').Append(counter ? "counter" : "gauge").Append('\n');
                foreach (var (labels, value) in values)
                {
                    text.Append(name).Append(labels).Append(' ').Append(value).Append('\n');
                }
            }

            return text.ToString();
        }
    }

    public void Dispose() => listener.Dispose();

    /// <summary>A Prometheus metric name: dots and other characters outside [a-zA-Z0-9_:] become underscores.</summary>
    public static string MetricName(string name)
    {
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            var c = chars[i];
            var ok = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' or ':' || (i > 0 && c is >= '0' and <= '9');
            chars[i] = ok ? c : '_';
        }

        return new string(chars);
    }

    /// <summary>A label value inside double quotes: backslash, quote and newline escaped.</summary>
    public static string EscapeLabel(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string EscapeHelp(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Number(double v) =>
        double.IsNaN(v) ? "NaN" : double.IsPositiveInfinity(v) ? "+Inf" : double.IsNegativeInfinity(v) ? "-Inf" : v.ToString("R", CultureInfo.InvariantCulture);

    private void Add(Instrument instrument, string value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = string.Empty;
        if (tags.Length > 0)
        {
            var b = new StringBuilder("{");
            for (var i = 0; i < tags.Length; i++)
            {
                b.Append(i == 0 ? string.Empty : ",").Append(MetricName(tags[i].Key)).Append("=\"").Append(EscapeLabel(Convert.ToString(tags[i].Value, CultureInfo.InvariantCulture) ?? string.Empty)).Append('"');
            }

            labels = b.Append('}').ToString();
        }

        if (!samples.TryGetValue(instrument, out var list))
        {
            samples[instrument] = list = [];
        }

        list.Add((labels, value));
    }
}
