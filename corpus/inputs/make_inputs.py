"""Regenerate the sample e-mail and Word inputs in this folder (tests/test_readers.py reads them).

    python corpus/inputs/make_inputs.py

Output is deterministic (fixed dates, MIME boundaries, zip timestamps and a seeded random source),
so running it again changes nothing unless this script changed. The .eml files are built with the
stdlib ``email`` package, the .docx with python-docx. Damaged inputs go to ``corrupt/``.
"""

from __future__ import annotations

import io
import random
import zipfile
from datetime import datetime, timezone
from email.generator import BytesGenerator
from email.message import EmailMessage
from email.policy import default as policy
from email.utils import format_datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORRUPT = HERE / "corrupt"

# --- 1. plain-text 8bit reply above the quoted rejection --------------------------------------

PLAIN_BODY = """\
Hi Helen,

Thank you for letting me know that the role went to another candidate, and for telling me
yourself. I enjoyed every conversation with the team — especially the whiteboard session with
Luis on intake scheduling.

I'm still very interested in Brightwater Health, and I would love to be considered if a similar
role opens up later this year.

If you have a few minutes, could you share where my case presentation fell short? If you were in
my position, what would you work on before my next product operations interview?

Is there anyone in your network, at Brightwater or elsewhere in digital health, you think I
should talk to? And which other companies in the space would you look at if you were me?

Thank you again for your time and your honesty.

Best regards,
Tomás

-- 
Tomás Reyes
tomas.reyes@example.com | +1 415 555 0134

On Tue, 4 Mar 2025 at 16:12, Helen Osei <helen.osei@brightwater.example> wrote:
> Dear Tomás,
>
> Thank you for the time you invested in our interviews for the Product
> Operations Manager role. After careful consideration we have decided to
> move forward with another candidate.
>
> The panel appreciated your preparation. We can't always share detailed
> feedback, but I wanted you to hear the news from me directly.
>
> Kind regards,
> Helen
"""

# --- 2. multipart/alternative, quoted-printable, plain + HTML ----------------------------------

ALT_TEXT = """\
Dear Jonas,

Thank you for the update on the Supply Chain Analyst role. I’m disappointed, of course, but I’m grateful for the thoughtful interviews and for the tour of the Rotterdam hub.

Northgate Logistics remains the company I most want to work for, and I hope our paths cross again.

Would you be open to telling me which parts of the forecasting exercise were weakest? Any advice on what to strengthen over the next few months would mean a lot.

Is there someone in your network working in freight analytics you would suggest I contact? I’d also value your view on which other firms in the sector are worth a look.

With thanks,
Aisha Karimi

On Fri, 7 Mar 2025, 09:41 Jonas Brandt <j.brandt@northgate.example> wrote:
> Hello Aisha,
> I’m sorry to let you know we have offered the role to another candidate.
> If you would like feedback on your forecasting exercise, just reply.
> Best, Jonas
"""

ALT_HTML = """\
<div dir="ltr"><div>Dear Jonas,</div><div><br></div>
<div>Thank you for the update on the Supply Chain Analyst role. I’m disappointed, of course, but I’m grateful for the thoughtful interviews and for the tour of the Rotterdam hub.</div><div><br></div>
<div>Northgate Logistics remains the company I most want to work for, and I hope our paths cross again.</div><div><br></div>
<div>Would you be open to telling me which parts of the forecasting exercise were weakest? Any advice on what to strengthen over the next few months would mean a lot.</div><div><br></div>
<div>Is there someone in your network working in freight analytics you would suggest I contact? I’d also value your view on which other firms in the sector are worth a look.</div><div><br></div>
<div>With thanks,</div><div>Aisha Karimi</div></div><br>
<div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Fri, 7 Mar 2025, 09:41 Jonas Brandt &lt;<a href="mailto:j.brandt@northgate.example">j.brandt@northgate.example</a>&gt; wrote:<br></div>
<blockquote class="gmail_quote" style="margin:0 0 0 .8ex;border-left:1px #ccc solid;padding-left:1ex">Hello Aisha,<br>I’m sorry to let you know we have offered the role to another candidate.<br>If you would like feedback on your forecasting exercise, just reply.<br>Best, Jonas</blockquote></div>
"""

# --- 3. HTML only (no text/plain part), Gmail-style quote --------------------------------------

HTML_ONLY = """\
<html><head><style>p { margin: 0 0 1em; }</style></head><body>
<p>Dear Ms.&nbsp;Nakamura,</p>
<p>Thank you for calling me about the Associate Counsel position. While I was hoping for a different
outcome, I appreciated how openly you explained the decision.</p>
<p>I continue to admire the work Lindqvist &amp; Hale does for nonprofit clients, and I would welcome the
chance to apply again.</p>
<p>I would be grateful for any advice on how I could become a stronger candidate for your practice
group.</p>
<p>Warm regards,<br>Daniel Okafor</p>
<div class="gmail_quote"><div class="gmail_attr">On Mon, 10 Mar 2025 at 11:05, Keiko Nakamura wrote:</div>
<blockquote class="gmail_quote">Dear Daniel,<br>Thank you for interviewing with us. We have decided not to
move forward. I am happy to share feedback on your writing sample if that would help.<br>Keiko</blockquote></div>
</body></html>
"""

# --- 4. base64 UTF-8 with non-ASCII names ------------------------------------------------------

UTF8_BODY = """\
Liebe Frau Müller,

thank you for letting me know that the UX Researcher role went to another candidate. I truly
enjoyed meeting you and Søren, and I learned a lot from the usability study we discussed.

I remain keen on working at Fjordlys Design and hope to stay in touch.

Could you tell me what would have made my portfolio review stronger?

Warm regards,
Zoë Brandão
"""

# --- 5. Word document --------------------------------------------------------------------------

DOCX_PARAGRAPHS = [
    "Dear Mr. Alvarez,",
    "Thank you for letting me know that the Senior Accountant position has been filled. I am"
    " disappointed, but I am grateful for the time you and Ms. Patel spent with me, and for the"
    " candid conversation about the quarter-end close.",
    "I remain very interested in Calder & Finch and would be glad to be considered for future openings.",
    "If you are willing, I would appreciate hearing where my technical interview fell short. What would"
    " you focus on if you were in my position, preparing for the next opportunity?",
    "Is there anyone in your network you think I should speak with about audit and advisory roles?"
    " And are there other firms in the North you would recommend I look at?",
    "Please keep me in mind if another position opens up. Thank you again for your consideration.",
]
DOCX_SIGNOFF = ("Sincerely,", "Grace Whitfield")
DOCX_CONTACT_TABLE = [("grace.whitfield@example.com", "+44 113 496 0321")]
DOCX_LETTERHEAD = "Grace Whitfield, ACA · Leeds"  # in the page header, which is not read

FIXED_DATE = datetime(2025, 3, 11, 9, 30, tzinfo=timezone.utc)
ZIP_TIME = (2025, 3, 11, 9, 30, 0)


def _headers(msg: EmailMessage, sender: str, to: str, subject: str, day: int) -> None:
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(FIXED_DATE.replace(day=day))
    msg["Message-ID"] = f"<reply-{day}@lintletter.example>"
    msg["MIME-Version"] = "1.0"


def _eml_bytes(msg: EmailMessage) -> bytes:
    out = io.BytesIO()
    BytesGenerator(out, policy=policy).flatten(msg)
    return out.getvalue()


def plain_reply() -> bytes:
    msg = EmailMessage()
    _headers(msg, "Tomás Reyes <tomas.reyes@example.com>", "Helen Osei <helen.osei@brightwater.example>",
             "Re: Product Operations Manager role", 5)
    msg["In-Reply-To"] = "<decision-4@brightwater.example>"
    msg.set_content(PLAIN_BODY, charset="utf-8", cte="8bit")
    return _eml_bytes(msg)


def alternative_reply() -> bytes:
    msg = EmailMessage()
    _headers(msg, "Aisha Karimi <aisha.karimi@example.com>", "Jonas Brandt <j.brandt@northgate.example>",
             "Re: Your application - Supply Chain Analyst", 7)
    msg.set_content(ALT_TEXT, charset="utf-8", cte="quoted-printable")
    msg.add_alternative(ALT_HTML, subtype="html", charset="utf-8", cte="quoted-printable")
    msg.set_boundary("==lintletter-alternative-0001==")
    return _eml_bytes(msg)


def html_only_reply() -> bytes:
    msg = EmailMessage()
    _headers(msg, "Daniel Okafor <d.okafor@example.com>", "Keiko Nakamura <k.nakamura@lindqvisthale.example>",
             "Re: Associate Counsel", 10)
    msg.set_content(HTML_ONLY, subtype="html", charset="utf-8", cte="quoted-printable")
    return _eml_bytes(msg)


def base64_reply() -> bytes:
    msg = EmailMessage()
    _headers(msg, "Zoë Brandão <zoe.brandao@example.com>", "Greta Müller <g.mueller@fjordlys.example>",
             "Danke, Frau Müller — UX Researcher", 11)
    msg.set_content(UTF8_BODY, charset="utf-8", cte="base64")
    return _eml_bytes(msg)


def truncated_multipart() -> bytes:
    """A download cut off right after the headers: the MIME parts never arrive."""
    full = alternative_reply()
    return full[: full.index(b"\n\n") + 2]


def word_letter() -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.author = "Grace Whitfield"
    document.core_properties.created = document.core_properties.modified = FIXED_DATE.replace(tzinfo=None)
    document.core_properties.last_modified_by = "Grace Whitfield"
    document.sections[0].header.paragraphs[0].text = DOCX_LETTERHEAD
    for text in DOCX_PARAGRAPHS:
        document.add_paragraph(text)
    signoff = document.add_paragraph(DOCX_SIGNOFF[0])
    signoff.add_run().add_break()  # Shift+Enter: the name on the next line of the same paragraph
    signoff.add_run(DOCX_SIGNOFF[1])
    table = document.add_table(rows=len(DOCX_CONTACT_TABLE), cols=2)  # contact details laid out in a table
    for row, cells in zip(table.rows, DOCX_CONTACT_TABLE):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    saved = io.BytesIO()
    document.save(saved)
    return _fixed_zip(saved.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same archive with fixed timestamps, so the bytes do not depend on when it was built."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(zipfile.ZipInfo(info.filename, ZIP_TIME), src.read(info), zipfile.ZIP_DEFLATED)
    return out.getvalue()


def outputs() -> dict[Path, bytes]:
    letter_docx = word_letter()
    return {
        HERE / "reply-plain.eml": plain_reply(),
        HERE / "reply-alternative-qp.eml": alternative_reply(),
        HERE / "reply-html-only.eml": html_only_reply(),
        HERE / "reply-base64-utf8.eml": base64_reply(),
        HERE / "letter.docx": letter_docx,
        CORRUPT / "truncated-multipart.eml": truncated_multipart(),
        CORRUPT / "random-bytes.docx": random.Random(20250311).randbytes(4096),
        CORRUPT / "truncated-zip.docx": letter_docx[: len(letter_docx) // 2],
    }


def main() -> None:
    CORRUPT.mkdir(exist_ok=True)
    for path, data in outputs().items():
        path.write_bytes(data)
        print(f"wrote {path.relative_to(HERE)} ({len(data)} bytes)")


if __name__ == "__main__":
    main()
