using Dunning.Cases;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Messages;
using Dunning.Plans;
using Dunning.Policies;
using Dunning.Tests.Resolution;

namespace Dunning.Tests.Messages;

/// <summary>The message sets in every language, and the business's own templates.</summary>
public sealed class TemplatesTests : IDisposable
{
    private static readonly DateOnly Today = new(2026, 1, 31);
    private static readonly Recipient Billing = new("Pat Payables", "ap@slow.example");
    private readonly string folder = Path.Combine(Path.GetTempPath(), "dunning-templates-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static CaseState In(string language, string jurisdiction = "DE", string currency = "EUR")
    {
        var state = CaseBuilder.Case(jurisdiction: jurisdiction, amount: 1234.5m, currency: currency).Paid(200m, new DateOnly(2026, 1, 20));
        return state with { Customer = state.Customer with { Language = language } };
    }

    private static Message Compose(CaseState state, string template, Tone tone, Channel channel = Channel.Email, DateOnly? deadline = null, Installment? installment = null, MessageTemplates? templates = null) =>
        Letters.Compose(state, new MessageRequest(template, tone, channel, ContactPurpose.Ladder, Billing, Today, deadline, installment), templates);

    private static string Plain(string text) => text.Replace('\u00A0', ' ').Replace('\u202F', ' ');

    [Fact]
    public void Every_shipped_template_renders_for_every_tone_channel_and_language_without_an_unknown_variable()
    {
        var result = TemplateCheck.Run(MessageTemplates.Shipped);

        Assert.True(result.Ok, string.Join('\n', result.Problems));
        Assert.True(result.Renders > 1_000, $"only {result.Renders} renders");
        foreach (var language in Languages.Supported)
        {
            Assert.Equal(MessageTemplates.Names.Order(StringComparer.Ordinal), MessageTemplates.Shipped.Files.Where(f => f.Language == language).Select(f => f.Name).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void A_German_customer_gets_a_Zahlungserinnerung_in_German_with_German_dates_and_amounts()
    {
        var message = Compose(In("de-DE"), "gentle", Tone.Friendly);

        Assert.Equal("Zahlungserinnerung: Rechnung 1001 ist überfällig", message.Subject);
        Assert.StartsWith("Guten Tag Pat Payables,", message.Text, StringComparison.Ordinal);
        Assert.Contains("seit 30 Tagen überfällig (sie war am 1. Januar 2026 fällig)", message.Text, StringComparison.Ordinal);
        Assert.Contains("Offener Betrag: 1.034,50 € (Rechnung 1001, fällig am 1. Januar 2026).", Plain(message.Text), StringComparison.Ordinal);
        Assert.Contains("So können Sie bezahlen:", message.Text, StringComparison.Ordinal);
        Assert.Contains("Mit freundlichen Grüßen\nIhre Buchhaltung, Your Business Ltd", message.Text, StringComparison.Ordinal);
        Assert.Contains("<p>Guten Tag Pat Payables,</p>", message.Html, StringComparison.Ordinal);
        Assert.Contains("1.034,50 € jetzt bezahlen</a>", Plain(message.Html), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("de-DE", "Letzte Mahnung: Rechnung 1001", "Bitte zahlen Sie bis zum 14. Februar 2026.")]
    [InlineData("de-AT", "Letzte Mahnung: Rechnung 1001", "(Rechnung 1001, fällig am 1. Jänner 2026)")]
    [InlineData("fr-FR", "Dernière relance : facture 1001", "Merci de régler au plus tard le 14 février 2026.")]
    [InlineData("es-ES", "Último aviso: factura 1001", "Le rogamos que pague a más tardar el 14 de febrero de 2026.")]
    [InlineData("es-MX", "Último aviso: factura 1001", "con vencimiento el 1 de enero de 2026")]
    public void A_final_notice_is_written_in_the_customers_language_with_the_deadline_in_their_locale(string language, string subject, string line)
    {
        var message = Compose(In(language), "final-notice", Tone.Final, deadline: new DateOnly(2026, 2, 14));

        Assert.Equal(subject, message.Subject);
        Assert.Contains(line, Plain(message.Text), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fr-FR", "Montant dû : 1 034,50 €")]
    [InlineData("es-ES", "Importe adeudado: 1.034,50 €")]
    public void The_amount_is_written_in_the_customers_locale_inside_their_own_wording(string language, string expected) =>
        Assert.Contains(expected, Plain(Compose(In(language), "firm", Tone.Firm).Text), StringComparison.Ordinal);

    public static TheoryData<string, string, Tone, Channel> EveryKindInEveryOtherLanguage()
    {
        var data = new TheoryData<string, string, Tone, Channel>();
        foreach (var language in new[] { "de", "fr", "es" })
        {
            foreach (var (template, tone, channel) in new[]
            {
                ("courtesy", Tone.Friendly, Channel.Email), ("gentle", Tone.Friendly, Channel.Email), ("firm", Tone.Firm, Channel.Email),
                ("invoice-copy", Tone.Firm, Channel.Letter), ("final-notice", Tone.Final, Channel.Email), ("letter-of-claim", Tone.Final, Channel.Letter),
                ("missed-installment", Tone.Firm, Channel.Email), ("promise-missed", Tone.Firm, Channel.Email), ("call", Tone.Firm, Channel.Call),
            })
            {
                data.Add(language, template, tone, channel);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryKindInEveryOtherLanguage))]
    public void Every_kind_of_message_is_complete_in_German_French_and_Spanish_with_no_English_left(string language, string template, Tone tone, Channel channel)
    {
        var message = Compose(In(language), template, tone, channel, new DateOnly(2026, 2, 14), new Installment(2, new DateOnly(2026, 1, 25), new Money(300m, "EUR")));
        var english = Compose(In("en"), template, tone, channel, new DateOnly(2026, 2, 14), new Installment(2, new DateOnly(2026, 1, 25), new Money(300m, "EUR")));

        Assert.NotEqual(english.Subject, message.Subject);
        foreach (var part in new[] { message.Subject, message.Text, message.Html })
        {
            foreach (var word in new[] { "Dear ", "How to pay", "Kind regards", "Amount owed", "overdue", "invoice ", "January", "February", "Say first", "Pay " })
            {
                Assert.DoesNotContain(word, part, StringComparison.Ordinal);
            }
        }

        Assert.Contains("1001", message.Subject, StringComparison.Ordinal);
        if (channel != Channel.Call)
        {
            Assert.Contains("https://pay.example.com/i/1001", message.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_German_missed_installment_reminder_names_the_installment_its_amount_and_date()
    {
        var message = Compose(In("de"), "missed-installment", Tone.Firm, installment: new Installment(2, new DateOnly(2026, 1, 25), new Money(300m, "EUR")));

        Assert.Contains("Die 2. Rate Ihrer Ratenzahlungsvereinbarung für die Rechnung 1001 über 300,00 €, fällig am 25. Januar 2026", Plain(message.Text), StringComparison.Ordinal);
    }

    [Fact]
    public void A_German_call_script_states_the_reason_first_in_German()
    {
        var script = Compose(In("de"), "call", Tone.Firm, Channel.Call);

        Assert.StartsWith("Sagen Sie zuerst: Ich rufe im Auftrag von Your Business Ltd an, es geht um die Rechnung 1001.", script.Text, StringComparison.Ordinal);
        Assert.Contains("Ratenzahlung", script.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_final_notice_names_only_the_step_the_policy_will_take_in_every_language()
    {
        var small = CaseBuilder.Case(jurisdiction: "DE", amount: 75m, currency: "EUR");
        foreach (var language in new[] { "de", "fr", "es" })
        {
            var text = Compose(small with { Customer = small.Customer with { Language = language } }, "final-notice", Tone.Final, deadline: Today.AddDays(14)).Text;

            foreach (var word in new[] { "Inkasso", "gericht", "recouvrement", "judiciaire", "recobro", "judicial" })
            {
                Assert.DoesNotContain(word, text, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    [Fact]
    public void The_letter_before_claim_in_England_stays_English_whatever_the_customers_language_elsewhere_it_is_theirs()
    {
        var england = CaseBuilder.Case(jurisdiction: "GB-ENG", amount: 1234.5m, currency: "GBP", kind: CustomerKind.Consumer);
        var germanInEngland = england with { Customer = england.Customer with { Language = "de-DE" } };

        var claim = Compose(germanInEngland, "letter-of-claim", Tone.Final, Channel.Letter, Today.AddDays(30));
        var reminder = Compose(germanInEngland, "gentle", Tone.Friendly);
        var claimInGermany = Compose(In("de-DE"), "letter-of-claim", Tone.Final, Channel.Letter, Today.AddDays(30));

        Assert.Equal("Letter before claim: invoice 1001", claim.Subject);
        Assert.Contains("by 2 March 2026", claim.Text, StringComparison.Ordinal);
        Assert.StartsWith("Zahlungserinnerung", reminder.Subject, StringComparison.Ordinal);
        Assert.StartsWith("Letzte Aufforderung vor gerichtlichen Schritten", claimInGermany.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public void A_consolidated_statement_is_written_in_the_customers_language()
    {
        var state = In("fr-FR");
        var contact = new CaseAction.Contact("k", ContactPurpose.Ladder, "firm", Channel.Email, ContactRole.Billing, Tone.Firm, "firm", Billing, new Message("s", "t", "h"));
        var other = state with { Invoice = state.Invoice with { Id = new InvoiceId("INV-2"), Number = "1002", DueDate = new DateOnly(2025, 12, 1) } };

        var statement = Statement.Compose(state, contact, [new StatementLine(other, contact with { Tone = Tone.Friendly, StepId = "gentle" }, Today)], Today);

        Assert.StartsWith("Relevé des impayés : 2 factures", statement.Subject, StringComparison.Ordinal);
        Assert.Contains("  - Facture 1002 : 1 034,50 €, échéance le 1 décembre 2025, en retard de 61 jours (rappel « gentle »)", Plain(statement.Text), StringComparison.Ordinal);
        Assert.Contains("<th>Jours de retard</th>", statement.Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "not yet overdue", "not yet due", "Kind regards,")]
    [InlineData("de", "noch nicht überfällig", "noch nicht fällig", "Mit freundlichen Grüßen")]
    [InlineData("fr", "pas encore en retard", "pas encore échue", "Cordialement,")]
    [InlineData("es", "aún no vencida", "aún no vencida", "Atentamente,")]
    public void A_statement_line_not_yet_due_says_so_and_the_html_signs_off_with_the_senders_address(string language, string text, string cell, string regards)
    {
        var state = In(language);
        var contact = new CaseAction.Contact("k", ContactPurpose.Ladder, "firm", Channel.Email, ContactRole.Billing, Tone.Firm, "firm", Billing, new Message("s", "t", "h"));
        var notYetDue = state with { Invoice = state.Invoice with { Id = new InvoiceId("INV-3"), Number = "1003", DueDate = Today.AddDays(3) } };

        var statement = Statement.Compose(state, contact, [new StatementLine(notYetDue, contact with { Tone = Tone.Friendly, StepId = "gentle" }, Today)], Today);

        Assert.Contains(text, statement.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("-3", statement.Text, StringComparison.Ordinal);
        Assert.Contains($"<td>{cell}</td>", statement.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<td>-3</td>", statement.Html, StringComparison.Ordinal);
        Assert.Contains(regards, statement.Html, StringComparison.Ordinal);
        Assert.Contains(state.Policy.Business.Email, statement.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Customer_text_is_escaped_in_the_html_of_every_language()
    {
        var state = In("es");
        state = state with { Policy = state.Policy with { Business = state.Policy.Business with { Name = "Smith & <Sons>" } } };

        var message = Compose(state, "courtesy", Tone.Friendly);

        Assert.Contains("Smith &amp; &lt;Sons&gt;", message.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<Sons>", message.Html, StringComparison.Ordinal);
    }

    private string Write(string relative, string text)
    {
        var path = Path.Combine(folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void A_business_template_overrides_the_shipped_one_of_its_language_and_name_only()
    {
        Write("de/gentle.liquid", """
            {% capture subject %}Kleine Erinnerung an Rechnung {{ invoice_number }}{% endcapture %}
            {% capture opening %}Rechnung {{ invoice_number }} ist {{ overdue }}.{% endcapture %}
            {% capture closing %}Danke!{% endcapture %}
            """);

        var templates = TemplateCheck.LoadChecked(folder);

        Assert.Equal("Kleine Erinnerung an Rechnung 1001", Compose(In("de"), "gentle", Tone.Friendly, templates: templates).Subject);
        Assert.StartsWith("Letzte Mahnung", Compose(In("de"), "final-notice", Tone.Final, templates: templates).Subject, StringComparison.Ordinal);
        Assert.Equal("Reminder: invoice 1001 is now overdue", Compose(In("en"), "gentle", Tone.Friendly, templates: templates).Subject);
        Assert.Equal(Path.Combine(folder, "de/gentle.liquid"), templates.File("de", "gentle").Origin);
    }

    [Fact]
    public void An_unknown_variable_in_a_business_template_is_refused_naming_the_file_line_and_variable()
    {
        var path = Write("de/final-notice.liquid", """
            {% capture subject %}Letzte Mahnung: Rechnung {{ invoice_number }}{% endcapture %}
            {% capture opening %}Sie ist {{ overdue }}.{% endcapture %}
            {% capture closing %}{% if next_step == "small-claims" %}Gericht am {{ court_date }}.{% else %}Bitte zahlen.{% endif %}{% endcapture %}
            """);

        var error = Assert.Throws<TemplateException>(() => TemplateCheck.LoadChecked(folder));

        var problem = Assert.Single(error.Problems);
        Assert.Equal(path, problem.File);
        Assert.Equal(3, problem.Line);
        Assert.Equal("unknown variable 'court_date'", problem.Detail);
    }

    [Fact]
    public void A_business_template_that_does_not_parse_or_has_no_known_name_is_refused_with_where()
    {
        var broken = Write("fr/firm.liquid", "{% capture subject %}Relance\n{% if %}\n");
        var stray = Write("fr/thank-you.liquid", "Merci");
        var italian = Write("it/gentle.liquid", "Ciao");

        var error = Assert.Throws<TemplateException>(() => MessageTemplates.Load(folder));

        Assert.Contains(error.Problems, p => p.File == broken && p.Detail.StartsWith("does not parse", StringComparison.Ordinal) && p.Line > 0);
        Assert.Contains(error.Problems, p => p.File == stray && p.Detail.Contains("'thank-you' is not a template name", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.File == italian && p.Detail.Contains("'it' is not a language folder", StringComparison.Ordinal));
    }

    [Fact]
    public void A_kind_that_forgets_its_closing_is_refused_rather_than_sent_without_it()
    {
        var path = Write("en/courtesy.liquid", "{% capture subject %}Due soon{% endcapture %}{% capture opening %}Hello.{% endcapture %}");

        var result = TemplateCheck.Run(MessageTemplates.Load(folder));

        Assert.Contains(result.Problems, p => p.File == path && p.Detail == "does not capture 'closing'");
    }

    [Fact]
    public void A_misspelt_field_of_a_statement_row_is_refused_naming_the_file_the_line_and_the_field()
    {
        var shipped = MessageTemplates.ShippedFiles().Single(f => f.Language == "en" && f.Name == "statement.text");
        var path = Write("en/statement.text.liquid", shipped.Source.Replace("{{ item.owed }}", "{{ item.owd }}", StringComparison.Ordinal));
        var line = shipped.Source[..shipped.Source.IndexOf("{{ item.owed }}", StringComparison.Ordinal)].Count(c => c == '\n') + 1;

        var result = TemplateCheck.Run(MessageTemplates.Load(folder));

        Assert.Contains(result.Problems, p => p.File == path && p.Line == line && p.Detail == "unknown field 'owd' of the rows of 'invoices'");
        Assert.DoesNotContain(result.Problems, p => p.Detail.Contains("'owed'", StringComparison.Ordinal));
    }

    [Fact]
    public void Templates_saved_with_windows_line_endings_read_like_the_shipped_ones()
    {
        var shipped = MessageTemplates.ShippedFiles().Single(f => f.Language == "en" && f.Name == "message.text");
        Write("en/message.text.liquid", shipped.Source.Replace("\n", "\r\n", StringComparison.Ordinal));

        var templates = TemplateCheck.LoadChecked(folder);

        Assert.Equal(Compose(In("en"), "firm", Tone.Firm).Text, Compose(In("en"), "firm", Tone.Firm, templates: templates).Text);
    }
}
