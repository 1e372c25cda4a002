/* Every text the registry sends, in English, Danish, Norwegian Bokmål and
 * Estonian (see templates.h). Placeholders are {name}; values are put in
 * as they are (the mail is text/plain, the SMS plain text).
 *
 * House style: short, formal, the registry speaking ("we" is avoided);
 * the registrar is named with its name and handle, contacts only by
 * handle; dates are YYYY-MM-DD. E-mail bodies end with the signature. No
 * body line may start with "From " (mbox tools would mangle it). */
#include "templates.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>

#include "contrib/strbuf.h"
#include "contrib/strutil.h"
#include "contrib/utf8.h"

const char *const template_langs[TEMPLATE_LANG_COUNT] = {"en", "da", "nb", "et"};

/* Every e-mail ends with the signature template_render adds: "-- ", the
 * registry's name ([registry] name, else these), then the support address
 * and the terms' address when configured (template_branding_set). */
static const char *const default_signature[TEMPLATE_LANG_COUNT] = {
    "The registry", "Registreringsenheden", "Registerenheten", "Registripidaja"};

const struct template_kind template_kinds[] = {
    /* the signature's lines under the registry's name, when configured */
    {"label.support", TEMPLATE_PART, ""},
    {"label.terms", TEMPLATE_PART, ""},
    /* phrases used inside the notices */
    {"greeting", TEMPLATE_PART, "name"},
    {"greeting.anonymous", TEMPLATE_PART, ""},
    {"changed-by.registrar", TEMPLATE_PART, "registrar"},
    {"changed-by.registry", TEMPLATE_PART, "registrar"},
    {"role.registrant", TEMPLATE_PART, ""},
    {"role.admin", TEMPLATE_PART, ""},
    {"role.tech", TEMPLATE_PART, ""},
    {"role.billing", TEMPLATE_PART, ""},
    {"role.and", TEMPLATE_PART, ""},
    /* R10: a contact's e-mail address changed (to the old and the new one) */
    {"contact-email-change.old", TEMPLATE_EMAIL,
     "greeting date contact old_email new_email changed_by"},
    {"contact-email-change.new", TEMPLATE_EMAIL,
     "greeting date contact old_email new_email changed_by"},
    /* R10: a change of registrant (to the old and the new registrant) */
    {"registrant-change.old", TEMPLATE_EMAIL,
     "greeting date domain old_registrant new_registrant registrar"},
    {"registrant-change.new", TEMPLATE_EMAIL,
     "greeting date domain old_registrant new_registrant registrar"},
    /* R10: a delete request (restorable in the redemption period, or gone) */
    {"delete-request.restorable", TEMPLATE_EMAIL, "greeting date registrar domain contact until"},
    {"delete-request.deleted", TEMPLATE_EMAIL, "greeting date registrar domain contact"},
    /* R7: the registrant is asked to confirm (a link to the confirmation page) */
    {"confirm-request.registrant-change", TEMPLATE_EMAIL,
     "greeting registrar domain contact new_registrant link until"},
    {"confirm-request.delete", TEMPLATE_EMAIL, "greeting registrar domain contact link until"},
    /* R11: expired one day ago (with a hold before the delete, or not) */
    {"expired.hold", TEMPLATE_EMAIL,
     "greeting domain date roles hold_date delete_date registrar"},
    {"expired.delete", TEMPLATE_EMAIL, "greeting domain date roles delete_date registrar"},
    /* R23: the prepaid balance fell below the registrar's warning level */
    {"low-balance", TEMPLATE_EMAIL, "registrar balance threshold"},
    /* R16: a one-time password for a transfer, by e-mail or SMS */
    {"selfservice-reset", TEMPLATE_EMAIL, "greeting contact link until"},
    {"otp.email", TEMPLATE_EMAIL, "greeting registrar domain code expiry"},
    {"otp.sms", TEMPLATE_SMS, "code domain registrar expiry"},
    /* R16 asked for by the registrant on the self-service site (R15 overdue); its
     * SMS is otp.sms, whose words fit either */
    {"otp-registrant.email", TEMPLATE_EMAIL, "greeting registrar domain code expiry"},
    /* R18: the registry changed a domain's management model */
    {"management-change.registrant", TEMPLATE_EMAIL, "greeting domain registrar contact"},
    {"management-change.registrar", TEMPLATE_EMAIL, "greeting domain registrar contact"},
    /* R19: a registrant-managed domain renewed, with its invoice or nothing to pay */
    {"registrant-renewal.invoice", TEMPLATE_EMAIL,
     "greeting domain until number issued due billed_to payer years from amount registrar"},
    {"registrant-renewal.free", TEMPLATE_EMAIL, "greeting domain until registrar"},
    {"years.one", TEMPLATE_PART, "n"},
    {"years.other", TEMPLATE_PART, "n"},
    /* R19: the registrant of registrar-managed domains checks its data */
    {"contact-check", TEMPLATE_EMAIL, "greeting tld domains contact data"},
    {"contact-check.domain", TEMPLATE_PART, "domain registrar"},
    {"list.more", TEMPLATE_PART, "n"},
    {"label.name", TEMPLATE_PART, ""},
    {"label.org", TEMPLATE_PART, ""},
    {"label.address", TEMPLATE_PART, ""},
    {"label.phone", TEMPLATE_PART, ""},
    {"label.mobile", TEMPLATE_PART, ""},
    {"label.email", TEMPLATE_PART, ""},
    /* R21: the identity check of a new registrant is pending */
    {"idcheck-pending", TEMPLATE_EMAIL,
     "greeting contact domain deadline how delete_days registrar"},
    {"idcheck.how", TEMPLATE_PART, "contact documents"},
    /* R22: the identity check failed (domains suspended, or none held) */
    {"idcheck-failed.suspended", TEMPLATE_EMAIL, "greeting reason domains how registrar"},
    {"idcheck-failed.none", TEMPLATE_EMAIL, "greeting reason contact how registrar"},
    {"idcheck-failed.missed", TEMPLATE_PART, "contact deadline"},
    {"idcheck-failed.refused", TEMPLATE_PART, "contact"},
    {"idcheck-failed.domain", TEMPLATE_PART, "domain date"},
    /* regctl outbox test: checks the relay or the SMS gateway */
    {"outbox-test.email", TEMPLATE_EMAIL, "time"},
    {"outbox-test.sms", TEMPLATE_SMS, "time"},
    /* the zone's safety guard held a run ([zone] alert_email, docs/zone.md) */
    {"zone-held", TEMPLATE_EMAIL, "tld time removed previous limit"},
};
const size_t template_kind_count = sizeof template_kinds / sizeof template_kinds[0];

const struct template templates[] = {
    /* --- phrases ------------------------------------------------------------ */
    /* the signature's lines and the web pages' footer */
    {"label.support", "en", NULL, "Support"},
    {"label.support", "da", NULL, "Support"},
    {"label.support", "nb", NULL, "Brukerstøtte"},
    {"label.support", "et", NULL, "Kasutajatugi"},
    {"label.terms", "en", NULL, "Terms"},
    {"label.terms", "da", NULL, "Vilkår"},
    {"label.terms", "nb", NULL, "Vilkår"},
    {"label.terms", "et", NULL, "Tingimused"},
    {"greeting", "en", NULL, "Hello {name},"},
    {"greeting", "da", NULL, "Kære {name}"},
    {"greeting", "nb", NULL, "Hei {name},"},
    {"greeting", "et", NULL, "Lugupeetud {name}!"},
    {"greeting.anonymous", "en", NULL, "Hello,"},
    {"greeting.anonymous", "da", NULL, "Goddag"},
    {"greeting.anonymous", "nb", NULL, "Hei,"},
    {"greeting.anonymous", "et", NULL, "Tere!"},
    {"changed-by.registrar", "en", NULL, "by its registrar {registrar}"},
    {"changed-by.registrar", "da", NULL, "af registratoren {registrar}"},
    {"changed-by.registrar", "nb", NULL, "av registraren {registrar}"},
    {"changed-by.registrar", "et", NULL, "registrar {registrar}"},
    {"changed-by.registry", "en", NULL, "by the registry, for its registrar {registrar}"},
    {"changed-by.registry", "da", NULL,
     "af registreringsenheden på vegne af registratoren {registrar}"},
    {"changed-by.registry", "nb", NULL, "av registerenheten på vegne av registraren {registrar}"},
    {"changed-by.registry", "et", NULL, "registripidaja registrari {registrar} nimel"},
    /* "You receive this message as its …" (da, nb: after a genitive) */
    {"role.registrant", "en", NULL, "registrant"},
    {"role.registrant", "da", NULL, "registrant"},
    {"role.registrant", "nb", NULL, "innehaver"},
    {"role.registrant", "et", NULL, "registreerija"},
    {"role.admin", "en", NULL, "administrative contact"},
    {"role.admin", "da", NULL, "administrative kontakt"},
    {"role.admin", "nb", NULL, "administrative kontakt"},
    {"role.admin", "et", NULL, "halduskontakt"},
    {"role.tech", "en", NULL, "technical contact"},
    {"role.tech", "da", NULL, "tekniske kontakt"},
    {"role.tech", "nb", NULL, "tekniske kontakt"},
    {"role.tech", "et", NULL, "tehniline kontakt"},
    {"role.billing", "en", NULL, "billing contact"},
    {"role.billing", "da", NULL, "faktureringskontakt"},
    {"role.billing", "nb", NULL, "fakturakontakt"},
    {"role.billing", "et", NULL, "arvelduskontakt"},
    {"role.and", "en", NULL, " and "},
    {"role.and", "da", NULL, " og "},
    {"role.and", "nb", NULL, " og "},
    {"role.and", "et", NULL, " ja "},

    /* --- R10: contact e-mail change --------------------------------------------- */
    {"contact-email-change.old", "en", "Contact {contact}: e-mail address changed",
     "{greeting}\n\n"
     "On {date} the e-mail address of contact {contact} in the registry was changed\n"
     "from {old_email}\n"
     "to   {new_email}\n"
     "{changed_by}.\n\n"
     "This address will no longer receive messages about this contact.\n"
     "If you did not ask for the change, please contact the registrar at once.\n"},
    {"contact-email-change.old", "da", "Kontakt {contact}: e-mailadressen er ændret",
     "{greeting}\n\n"
     "Den {date} blev e-mailadressen for kontakten {contact} i registret ændret\n"
     "fra {old_email}\n"
     "til {new_email}\n"
     "{changed_by}.\n\n"
     "Denne adresse vil ikke længere modtage beskeder om kontakten.\n"
     "Hvis du ikke har bedt om ændringen, bedes du straks kontakte registratoren.\n"},
    {"contact-email-change.old", "nb", "Kontakt {contact}: e-postadressen er endret",
     "{greeting}\n\n"
     "Den {date} ble e-postadressen til kontakten {contact} i registeret endret\n"
     "fra {old_email}\n"
     "til {new_email}\n"
     "{changed_by}.\n\n"
     "Denne adressen vil ikke lenger motta meldinger om kontakten.\n"
     "Hvis du ikke har bedt om endringen, må du straks kontakte registraren.\n"},
    {"contact-email-change.old", "et", "Kontakt {contact}: e-posti aadress on muudetud",
     "{greeting}\n\n"
     "{date} muudeti registris kontakti {contact} e-posti aadressi.\n"
     "Vana aadress: {old_email}\n"
     "Uus aadress:  {new_email}\n"
     "Muudatuse tegi {changed_by}.\n\n"
     "Sellele aadressile ei saadeta enam selle kontakti kohta teateid.\n"
     "Kui Te muudatust ei taotlenud, võtke palun kohe ühendust registrariga.\n"},
    {"contact-email-change.new", "en", "Contact {contact}: e-mail address changed",
     "{greeting}\n\n"
     "On {date} the e-mail address of contact {contact} in the registry was changed\n"
     "from {old_email}\n"
     "to   {new_email}\n"
     "{changed_by}.\n\n"
     "Messages about this contact go to this address now.\n"
     "If you do not know this contact, please tell the registrar.\n"},
    {"contact-email-change.new", "da", "Kontakt {contact}: e-mailadressen er ændret",
     "{greeting}\n\n"
     "Den {date} blev e-mailadressen for kontakten {contact} i registret ændret\n"
     "fra {old_email}\n"
     "til {new_email}\n"
     "{changed_by}.\n\n"
     "Beskeder om kontakten sendes nu til denne adresse.\n"
     "Hvis du ikke kender kontakten, bedes du give registratoren besked.\n"},
    {"contact-email-change.new", "nb", "Kontakt {contact}: e-postadressen er endret",
     "{greeting}\n\n"
     "Den {date} ble e-postadressen til kontakten {contact} i registeret endret\n"
     "fra {old_email}\n"
     "til {new_email}\n"
     "{changed_by}.\n\n"
     "Meldinger om kontakten sendes nå til denne adressen.\n"
     "Hvis du ikke kjenner til kontakten, ber vi deg si fra til registraren.\n"},
    {"contact-email-change.new", "et", "Kontakt {contact}: e-posti aadress on muudetud",
     "{greeting}\n\n"
     "{date} muudeti registris kontakti {contact} e-posti aadressi.\n"
     "Vana aadress: {old_email}\n"
     "Uus aadress:  {new_email}\n"
     "Muudatuse tegi {changed_by}.\n\n"
     "Selle kontakti teated saadetakse nüüd sellele aadressile.\n"
     "Kui Te seda kontakti ei tunne, andke palun registrarile teada.\n"},

    /* --- R10: change of registrant (only contact ids: neither side learns the
     * other's personal data) ------------------------------------------------------ */
    {"registrant-change.old", "en", "Domain {domain}: change of registrant",
     "{greeting}\n\n"
     "On {date} the registrant (holder) of the domain {domain} was changed\n"
     "from contact {old_registrant}\n"
     "to   contact {new_registrant}\n"
     "by its registrar {registrar}.\n\n"
     "Contact {old_registrant} is no longer the registrant of {domain}.\n"
     "If you did not agree to this, please contact the registrar at once.\n"},
    {"registrant-change.old", "da", "Domænet {domain}: skift af registrant",
     "{greeting}\n\n"
     "Den {date} blev registranten (indehaveren) af domænet {domain} ændret\n"
     "fra kontakt {old_registrant}\n"
     "til kontakt {new_registrant}\n"
     "af registratoren {registrar}.\n\n"
     "Kontakt {old_registrant} er ikke længere registrant for {domain}.\n"
     "Hvis du ikke har givet samtykke til dette, bedes du straks kontakte registratoren.\n"},
    {"registrant-change.old", "nb", "Domenet {domain}: innehaverskifte",
     "{greeting}\n\n"
     "Den {date} ble innehaveren av domenet {domain} endret\n"
     "fra kontakt {old_registrant}\n"
     "til kontakt {new_registrant}\n"
     "av registraren {registrar}.\n\n"
     "Kontakt {old_registrant} er ikke lenger innehaver av {domain}.\n"
     "Hvis du ikke har samtykket til dette, må du straks kontakte registraren.\n"},
    {"registrant-change.old", "et", "Domeen {domain}: registreerija vahetus",
     "{greeting}\n\n"
     "{date} vahetas registrar {registrar} domeeni {domain} registreerija (omaniku).\n"
     "Varasem registreerija: kontakt {old_registrant}\n"
     "Uus registreerija:     kontakt {new_registrant}\n\n"
     "Kontakt {old_registrant} ei ole enam domeeni {domain} registreerija.\n"
     "Kui Te selleks nõusolekut ei andnud, võtke palun kohe ühendust registrariga.\n"},
    {"registrant-change.new", "en", "Domain {domain}: change of registrant",
     "{greeting}\n\n"
     "On {date} the registrant (holder) of the domain {domain} was changed\n"
     "from contact {old_registrant}\n"
     "to   contact {new_registrant}\n"
     "by its registrar {registrar}.\n\n"
     "Contact {new_registrant} is now the registrant of {domain}.\n"
     "If you did not ask for this, please contact the registrar.\n"},
    {"registrant-change.new", "da", "Domænet {domain}: skift af registrant",
     "{greeting}\n\n"
     "Den {date} blev registranten (indehaveren) af domænet {domain} ændret\n"
     "fra kontakt {old_registrant}\n"
     "til kontakt {new_registrant}\n"
     "af registratoren {registrar}.\n\n"
     "Kontakt {new_registrant} er nu registrant for {domain}.\n"
     "Hvis du ikke har bedt om dette, bedes du kontakte registratoren.\n"},
    {"registrant-change.new", "nb", "Domenet {domain}: innehaverskifte",
     "{greeting}\n\n"
     "Den {date} ble innehaveren av domenet {domain} endret\n"
     "fra kontakt {old_registrant}\n"
     "til kontakt {new_registrant}\n"
     "av registraren {registrar}.\n\n"
     "Kontakt {new_registrant} er nå innehaver av {domain}.\n"
     "Hvis du ikke har bedt om dette, ber vi deg kontakte registraren.\n"},
    {"registrant-change.new", "et", "Domeen {domain}: registreerija vahetus",
     "{greeting}\n\n"
     "{date} vahetas registrar {registrar} domeeni {domain} registreerija (omaniku).\n"
     "Varasem registreerija: kontakt {old_registrant}\n"
     "Uus registreerija:     kontakt {new_registrant}\n\n"
     "Kontakt {new_registrant} on nüüd domeeni {domain} registreerija.\n"
     "Kui Te seda ei taotlenud, võtke palun ühendust registrariga.\n"},

    /* --- R10: delete request -------------------------------------------------------- */
    {"delete-request.restorable", "en", "Domain {domain}: deletion requested",
     "{greeting}\n\n"
     "On {date} registrar {registrar} asked for the domain {domain} to be deleted.\n"
     "You receive this message as its registrant (contact {contact}).\n\n"
     "The domain is out of the DNS now. The registrar can still restore it until {until};\n"
     "after that it is deleted for good and anyone can register it.\n\n"
     "If you did not ask for this, please contact the registrar at once.\n"},
    {"delete-request.restorable", "da", "Domænet {domain}: anmodning om sletning",
     "{greeting}\n\n"
     "Den {date} anmodede registratoren {registrar} om, at domænet {domain} slettes.\n"
     "Du modtager denne besked som domænets registrant (kontakt {contact}).\n\n"
     "Domænet er nu fjernet fra DNS. Registratoren kan stadig genoprette det indtil {until};\n"
     "derefter slettes det endeligt, og alle kan registrere det.\n\n"
     "Hvis du ikke har bedt om dette, bedes du straks kontakte registratoren.\n"},
    {"delete-request.restorable", "nb", "Domenet {domain}: anmodning om sletting",
     "{greeting}\n\n"
     "Den {date} ba registraren {registrar} om at domenet {domain} blir slettet.\n"
     "Du mottar denne meldingen som domenets innehaver (kontakt {contact}).\n\n"
     "Domenet er nå tatt ut av DNS. Registraren kan fortsatt gjenopprette det fram til {until};\n"
     "deretter slettes det for godt, og hvem som helst kan registrere det.\n\n"
     "Hvis du ikke har bedt om dette, må du straks kontakte registraren.\n"},
    {"delete-request.restorable", "et", "Domeen {domain}: kustutamise taotlus",
     "{greeting}\n\n"
     "{date} taotles registrar {registrar} domeeni {domain} kustutamist.\n"
     "Saate selle kirja domeeni registreerijana (kontakt {contact}).\n\n"
     "Domeen on nüüd DNS-ist eemaldatud. Registrar saab selle veel taastada kuni {until};\n"
     "seejärel kustutatakse domeen lõplikult ja igaüks võib selle registreerida.\n\n"
     "Kui Te seda ei taotlenud, võtke palun kohe ühendust registrariga.\n"},
    {"delete-request.deleted", "en", "Domain {domain}: deletion requested",
     "{greeting}\n\n"
     "On {date} registrar {registrar} asked for the domain {domain} to be deleted.\n"
     "You receive this message as its registrant (contact {contact}).\n\n"
     "The domain has been deleted; anyone can register it now.\n\n"
     "If you did not ask for this, please contact the registrar at once.\n"},
    {"delete-request.deleted", "da", "Domænet {domain}: anmodning om sletning",
     "{greeting}\n\n"
     "Den {date} anmodede registratoren {registrar} om, at domænet {domain} slettes.\n"
     "Du modtager denne besked som domænets registrant (kontakt {contact}).\n\n"
     "Domænet er slettet, og alle kan nu registrere det.\n\n"
     "Hvis du ikke har bedt om dette, bedes du straks kontakte registratoren.\n"},
    {"delete-request.deleted", "nb", "Domenet {domain}: anmodning om sletting",
     "{greeting}\n\n"
     "Den {date} ba registraren {registrar} om at domenet {domain} blir slettet.\n"
     "Du mottar denne meldingen som domenets innehaver (kontakt {contact}).\n\n"
     "Domenet er slettet, og hvem som helst kan nå registrere det.\n\n"
     "Hvis du ikke har bedt om dette, må du straks kontakte registraren.\n"},
    {"delete-request.deleted", "et", "Domeen {domain}: kustutamise taotlus",
     "{greeting}\n\n"
     "{date} taotles registrar {registrar} domeeni {domain} kustutamist.\n"
     "Saate selle kirja domeeni registreerijana (kontakt {contact}).\n\n"
     "Domeen on kustutatud ja igaüks võib selle nüüd registreerida.\n\n"
     "Kui Te seda ei taotlenud, võtke palun kohe ühendust registrariga.\n"},

    /* --- R7: confirmation requests ----------------------------------------------------- */
    {"confirm-request.registrant-change", "en",
     "Domain {domain}: please confirm the change of registrant",
     "{greeting}\n\n"
     "The registrar {registrar} asked to transfer the domain {domain}\n"
     "from you (contact {contact}) to contact {new_registrant}.\n\n"
     "Nothing happens unless you confirm. To confirm or reject, open:\n\n"
     "  {link}\n\n"
     "The link works once, until {until}. If you do nothing, the request lapses\n"
     "and the domain stays as it is.\n"},
    {"confirm-request.registrant-change", "da",
     "Domænet {domain}: bekræft venligst skiftet af registrant",
     "{greeting}\n\n"
     "Registratoren {registrar} har anmodet om at overdrage domænet {domain}\n"
     "fra dig (kontakt {contact}) til kontakt {new_registrant}.\n\n"
     "Intet sker, medmindre du bekræfter. Åbn dette link for at bekræfte eller afvise:\n\n"
     "  {link}\n\n"
     "Linket kan bruges én gang, indtil {until}. Gør du ingenting, bortfalder\n"
     "anmodningen, og domænet forbliver uændret.\n"},
    {"confirm-request.registrant-change", "nb", "Domenet {domain}: bekreft innehaverskiftet",
     "{greeting}\n\n"
     "Registraren {registrar} har bedt om å overføre domenet {domain}\n"
     "fra deg (kontakt {contact}) til kontakt {new_registrant}.\n\n"
     "Ingenting skjer uten at du bekrefter. Åpne denne lenken for å bekrefte eller avvise:\n\n"
     "  {link}\n\n"
     "Lenken kan brukes én gang, fram til {until}. Gjør du ingenting, bortfaller\n"
     "forespørselen, og domenet forblir som det er.\n"},
    {"confirm-request.registrant-change", "et",
     "Domeen {domain}: palun kinnitage registreerija vahetus",
     "{greeting}\n\n"
     "Registrar {registrar} on taotlenud, et domeeni {domain} registreerija vahetataks:\n"
     "Teie (kontakt {contact}) asemel kontakt {new_registrant}.\n\n"
     "Midagi ei muutu, kui Te taotlust ei kinnita. Kinnitamiseks või tagasilükkamiseks "
     "avage:\n\n"
     "  {link}\n\n"
     "Link töötab ühe korra, kuni {until}. Kui Te midagi ei tee, taotlus aegub\n"
     "ja domeen jääb samaks.\n"},
    {"confirm-request.delete", "en", "Domain {domain}: please confirm the deletion",
     "{greeting}\n\n"
     "The registrar {registrar} asked to delete the domain {domain},\n"
     "of which you (contact {contact}) are the registrant.\n\n"
     "Nothing happens unless you confirm. To confirm or reject, open:\n\n"
     "  {link}\n\n"
     "The link works once, until {until}. If you do nothing, the request lapses\n"
     "and the domain stays as it is.\n"},
    {"confirm-request.delete", "da", "Domænet {domain}: bekræft venligst sletningen",
     "{greeting}\n\n"
     "Registratoren {registrar} har anmodet om at slette domænet {domain},\n"
     "som du (kontakt {contact}) er registrant for.\n\n"
     "Intet sker, medmindre du bekræfter. Åbn dette link for at bekræfte eller afvise:\n\n"
     "  {link}\n\n"
     "Linket kan bruges én gang, indtil {until}. Gør du ingenting, bortfalder\n"
     "anmodningen, og domænet forbliver uændret.\n"},
    {"confirm-request.delete", "nb", "Domenet {domain}: bekreft slettingen",
     "{greeting}\n\n"
     "Registraren {registrar} har bedt om å slette domenet {domain},\n"
     "som du (kontakt {contact}) er innehaver av.\n\n"
     "Ingenting skjer uten at du bekrefter. Åpne denne lenken for å bekrefte eller avvise:\n\n"
     "  {link}\n\n"
     "Lenken kan brukes én gang, fram til {until}. Gjør du ingenting, bortfaller\n"
     "forespørselen, og domenet forblir som det er.\n"},
    {"confirm-request.delete", "et", "Domeen {domain}: palun kinnitage kustutamine",
     "{greeting}\n\n"
     "Registrar {registrar} on taotlenud domeeni {domain} kustutamist;\n"
     "Teie (kontakt {contact}) olete selle registreerija.\n\n"
     "Midagi ei muutu, kui Te taotlust ei kinnita. Kinnitamiseks või tagasilükkamiseks "
     "avage:\n\n"
     "  {link}\n\n"
     "Link töötab ühe korra, kuni {until}. Kui Te midagi ei tee, taotlus aegub\n"
     "ja domeen jääb samaks.\n"},

    /* --- R11: expired -------------------------------------------------------------- */
    {"expired.hold", "en", "Domain {domain} has expired",
     "{greeting}\n\n"
     "The domain {domain} expired on {date} and has not been renewed.\n"
     "You receive this message as its {roles}.\n\n"
     "Unless it is renewed, the domain goes out of the DNS on {hold_date} and is deleted on "
     "{delete_date}.\n"
     "To keep it, ask its registrar {registrar} to renew it.\n"},
    {"expired.hold", "da", "Domænet {domain} er udløbet",
     "{greeting}\n\n"
     "Domænet {domain} udløb den {date} og er ikke blevet fornyet.\n"
     "Du modtager denne besked som domænets {roles}.\n\n"
     "Hvis det ikke fornyes, fjernes domænet fra DNS den {hold_date} og slettes den "
     "{delete_date}.\n"
     "Hvis du vil beholde det, skal du bede registratoren {registrar} om at forny det.\n"},
    {"expired.hold", "nb", "Domenet {domain} er utløpt",
     "{greeting}\n\n"
     "Domenet {domain} utløp den {date} og er ikke fornyet.\n"
     "Du mottar denne meldingen som domenets {roles}.\n\n"
     "Hvis det ikke fornyes, tas domenet ut av DNS den {hold_date} og slettes den "
     "{delete_date}.\n"
     "Hvis du vil beholde det, må du be registraren {registrar} om å fornye det.\n"},
    {"expired.hold", "et", "Domeeni {domain} registreering on aegunud",
     "{greeting}\n\n"
     "Domeeni {domain} registreering aegus {date} ja seda ei ole pikendatud.\n"
     "Saate selle kirja, sest olete domeeni {roles}.\n\n"
     "Kui registreeringut ei pikendata, eemaldatakse domeen DNS-ist {hold_date} ja "
     "kustutatakse {delete_date}.\n"
     "Domeeni säilitamiseks paluge registraril {registrar} registreeringut pikendada.\n"},
    {"expired.delete", "en", "Domain {domain} has expired",
     "{greeting}\n\n"
     "The domain {domain} expired on {date} and has not been renewed.\n"
     "You receive this message as its {roles}.\n\n"
     "Unless it is renewed, the domain is deleted on {delete_date}.\n"
     "To keep it, ask its registrar {registrar} to renew it.\n"},
    {"expired.delete", "da", "Domænet {domain} er udløbet",
     "{greeting}\n\n"
     "Domænet {domain} udløb den {date} og er ikke blevet fornyet.\n"
     "Du modtager denne besked som domænets {roles}.\n\n"
     "Hvis det ikke fornyes, slettes domænet den {delete_date}.\n"
     "Hvis du vil beholde det, skal du bede registratoren {registrar} om at forny det.\n"},
    {"expired.delete", "nb", "Domenet {domain} er utløpt",
     "{greeting}\n\n"
     "Domenet {domain} utløp den {date} og er ikke fornyet.\n"
     "Du mottar denne meldingen som domenets {roles}.\n\n"
     "Hvis det ikke fornyes, slettes domenet den {delete_date}.\n"
     "Hvis du vil beholde det, må du be registraren {registrar} om å fornye det.\n"},
    {"expired.delete", "et", "Domeeni {domain} registreering on aegunud",
     "{greeting}\n\n"
     "Domeeni {domain} registreering aegus {date} ja seda ei ole pikendatud.\n"
     "Saate selle kirja, sest olete domeeni {roles}.\n\n"
     "Kui registreeringut ei pikendata, kustutatakse domeen {delete_date}.\n"
     "Domeeni säilitamiseks paluge registraril {registrar} registreeringut pikendada.\n"},

    /* --- R23: low prepaid balance, to the registrar ([mail] language) ------------- */
    {"low-balance", "en", "Low prepaid balance",
     "Dear registrar {registrar},\n\n"
     "Your prepaid balance is {balance}, below your warning level {threshold}; please top up "
     "your account.\n"},
    {"low-balance", "da", "Lav forudbetalt saldo",
     "Kære registrator {registrar}\n\n"
     "Jeres forudbetalte saldo er {balance}, hvilket er under jeres varslingsgrænse på "
     "{threshold}. Indbetal venligst på kontoen.\n"},
    {"low-balance", "nb", "Lav forhåndsbetalt saldo",
     "Til registrar {registrar}\n\n"
     "Den forhåndsbetalte saldoen deres er {balance}, som er under varslingsgrensen på "
     "{threshold}. Vennligst fyll på kontoen.\n"},
    {"low-balance", "et", "Ettemaksukonto saldo on madal",
     "Lugupeetud registrar {registrar}!\n\n"
     "Teie ettemaksukonto saldo on {balance}, mis on alla hoiatuspiiri {threshold}. Palun "
     "täiendage kontot.\n"},

    /* --- R39: a new self-service password --------------------------------------- */
    {"selfservice-reset", "en", "Choose a new password for the registry's self-service",
     "{greeting}\n\n"
     "Someone, probably you, asked the registry's self-service site for a new\n"
     "password for the contact {contact}. Open this link to choose one:\n\n"
     "{link}\n\n"
     "The link works once, until {until}. Choosing a new password also lifts a\n"
     "lockout after too many failed logins.\n\n"
     "If you did not ask for it, ignore this message: your password stays as it is.\n"},
    {"selfservice-reset", "da", "Vælg en ny adgangskode til registrets selvbetjening",
     "{greeting}\n\n"
     "Nogen, formentlig dig, har bedt registrets selvbetjening om en ny adgangskode\n"
     "til kontakten {contact}. Åbn dette link for at vælge en:\n\n"
     "{link}\n\n"
     "Linket virker én gang, indtil {until}. En ny adgangskode ophæver også en\n"
     "spærring efter for mange mislykkede login.\n\n"
     "Hvis du ikke har bedt om den, kan du se bort fra denne besked: din adgangskode\n"
     "forbliver den samme.\n"},
    {"selfservice-reset", "nb", "Velg et nytt passord for registerets selvbetjening",
     "{greeting}\n\n"
     "Noen, trolig du, har bedt registerets selvbetjening om et nytt passord for\n"
     "kontakten {contact}. Åpne denne lenken for å velge et:\n\n"
     "{link}\n\n"
     "Lenken virker én gang, fram til {until}. Et nytt passord opphever også en\n"
     "sperring etter for mange mislykkede innlogginger.\n\n"
     "Hvis du ikke har bedt om det, kan du se bort fra denne meldingen: passordet ditt\n"
     "forblir det samme.\n"},
    {"selfservice-reset", "et", "Valige registri iseteeninduse jaoks uus parool",
     "{greeting}\n\n"
     "Keegi, tõenäoliselt Teie, palus registri iseteenindusel saata kontaktile\n"
     "{contact} uus parool. Avage see link, et parool valida:\n\n"
     "{link}\n\n"
     "Link kehtib ühe korra, kuni {until}. Uus parool lõpetab ka liiga paljude\n"
     "ebaõnnestunud sisselogimiste järel seatud lukustuse.\n\n"
     "Kui Te seda ei palunud, jätke see kiri tähelepanuta: Teie parool jääb samaks.\n"},

    /* --- R16: one-time password for a transfer ---------------------------------------- */
    {"otp.email", "en", "One-time password to move the domain {domain}",
     "{greeting}\n\n"
     "The registrar {registrar} has asked the registry for a one-time password\n"
     "to move the domain {domain}, of which you are the registrant (holder),\n"
     "to it.\n\n"
     "Your one-time password:  {code}\n\n"
     "If you want the domain moved to that registrar, give them this password.\n"
     "It works once, for that registrar only, until {expiry}.\n\n"
     "If you did not ask for the move, ignore this message: without the password\n"
     "nothing changes.\n"},
    {"otp.email", "da", "Engangskode til at flytte domænet {domain}",
     "{greeting}\n\n"
     "Registratoren {registrar} har bedt registreringsenheden om en engangskode\n"
     "for at flytte domænet {domain}, som du er registrant (indehaver) af, til sig.\n\n"
     "Din engangskode:  {code}\n\n"
     "Hvis du ønsker domænet flyttet til denne registrator, så giv registratoren koden.\n"
     "Den kan bruges én gang, kun af denne registrator, indtil {expiry}.\n\n"
     "Hvis du ikke har bedt om flytningen, kan du se bort fra denne besked: uden koden\n"
     "ændres intet.\n"},
    {"otp.email", "nb", "Engangskode for å flytte domenet {domain}",
     "{greeting}\n\n"
     "Registraren {registrar} har bedt registerenheten om en engangskode\n"
     "for å flytte domenet {domain}, som du er innehaver av, til seg.\n\n"
     "Engangskoden din:  {code}\n\n"
     "Hvis du vil at domenet skal flyttes til denne registraren, gir du dem koden.\n"
     "Den kan brukes én gang, bare av denne registraren, fram til {expiry}.\n\n"
     "Hvis du ikke har bedt om flyttingen, kan du se bort fra denne meldingen: uten\n"
     "koden endres ingenting.\n"},
    {"otp.email", "et", "Ühekordne parool domeeni {domain} üleviimiseks",
     "{greeting}\n\n"
     "Registrar {registrar} on küsinud registripidajalt ühekordset parooli,\n"
     "et viia enda juurde domeen {domain}, mille registreerija (omanik) Te olete.\n\n"
     "Teie ühekordne parool:  {code}\n\n"
     "Kui soovite domeeni selle registrari juurde viia, andke talle see parool.\n"
     "Parool kehtib ühe korra, ainult sellele registrarile, kuni {expiry}.\n\n"
     "Kui Te üleviimist ei taotlenud, jätke see kiri tähelepanuta: ilma paroolita\n"
     "midagi ei muutu.\n"},
    {"otp.sms", "en", NULL,
     "One-time password {code} to move {domain} to {registrar}. Valid until {expiry}. "
     "Give it to that registrar only."},
    {"otp.sms", "da", NULL,
     "Engangskode {code} til at flytte {domain} til {registrar}. Gyldig til {expiry}. "
     "Giv den kun til denne registrator."},
    {"otp.sms", "nb", NULL,
     "Engangskode {code} for å flytte {domain} til {registrar}. Gyldig til {expiry}. "
     "Gi den bare til denne registraren."},
    {"otp.sms", "et", NULL,
     "{registrar} soovib domeeni {domain} üle võtta. Ühekordne parool: {code}, kehtib kuni "
     "{expiry}. Andke see ainult neile."},

    /* --- R16 asked for on the self-service site ----------------------------------------- */
    {"otp-registrant.email", "en", "One-time password to move the domain {domain}",
     "{greeting}\n\n"
     "On the registry's self-service site a one-time password was asked for\n"
     "to move the domain {domain}, of which you are the registrant (holder),\n"
     "to the registrar {registrar}: your current registrar did not give you\n"
     "the auth code in time.\n\n"
     "Your one-time password:  {code}\n\n"
     "Give it to {registrar}: it is their auth code for the transfer.\n"
     "It works once, for that registrar only, until {expiry}.\n\n"
     "If you did not ask for the move, ignore this message: without the password\n"
     "nothing changes.\n"},
    {"otp-registrant.email", "da", "Engangskode til at flytte domænet {domain}",
     "{greeting}\n\n"
     "På registreringsenhedens selvbetjening er der bedt om en engangskode til at\n"
     "flytte domænet {domain}, som du er registrant (indehaver) af, til\n"
     "registratoren {registrar}: din nuværende registrator gav dig ikke\n"
     "autorisationskoden i tide.\n\n"
     "Din engangskode:  {code}\n\n"
     "Giv den til {registrar}: den er deres autorisationskode til flytningen.\n"
     "Den kan bruges én gang, kun af denne registrator, indtil {expiry}.\n\n"
     "Hvis du ikke har bedt om flytningen, kan du se bort fra denne besked: uden koden\n"
     "ændres intet.\n"},
    {"otp-registrant.email", "nb", "Engangskode for å flytte domenet {domain}",
     "{greeting}\n\n"
     "På registerenhetens selvbetjening er det bedt om en engangskode for å flytte\n"
     "domenet {domain}, som du er innehaver av, til registraren {registrar}:\n"
     "den nåværende registraren din ga deg ikke autorisasjonskoden i tide.\n\n"
     "Engangskoden din:  {code}\n\n"
     "Gi den til {registrar}: den er deres autorisasjonskode for flyttingen.\n"
     "Den kan brukes én gang, bare av denne registraren, fram til {expiry}.\n\n"
     "Hvis du ikke har bedt om flyttingen, kan du se bort fra denne meldingen: uten\n"
     "koden endres ingenting.\n"},
    {"otp-registrant.email", "et", "Ühekordne parool domeeni {domain} üleviimiseks",
     "{greeting}\n\n"
     "Registri iseteeninduses küsiti ühekordset parooli, et viia domeen {domain},\n"
     "mille registreerija (omanik) Te olete, registripidaja {registrar} juurde:\n"
     "Teie praegune registripidaja ei andnud autoriseerimiskoodi õigeks ajaks.\n\n"
     "Teie ühekordne parool:  {code}\n\n"
     "Andke see registripidajale {registrar}: see on nende autoriseerimiskood.\n"
     "Parool kehtib ühe korra, ainult sellele registripidajale, kuni {expiry}.\n\n"
     "Kui Te üleviimist ei taotlenud, jätke see kiri tähelepanuta: ilma paroolita\n"
     "midagi ei muutu.\n"},

    /* --- R18: management model changed by the registry ----------------------------- */
    {"management-change.registrant", "en", "Domain {domain}: now registrant-managed",
     "{greeting}\n\n"
     "As of now, the registry deals with you directly about the domain {domain}:\n"
     "it sends you the domain's notices and, from its next renewal on, its\n"
     "invoices. Its registrar {registrar} still looks after its technical settings.\n"
     "You receive this message as the domain's registrant (contact {contact}).\n"},
    {"management-change.registrant", "da", "Domænet {domain}: administreres nu af registranten",
     "{greeting}\n\n"
     "Fra nu af har registreringsenheden direkte kontakt med dig om domænet {domain}:\n"
     "den sender dig domænets meddelelser og, fra næste fornyelse, dets fakturaer.\n"
     "Registratoren {registrar} varetager fortsat den tekniske opsætning.\n"
     "Du modtager denne besked som domænets registrant (kontakt {contact}).\n"},
    {"management-change.registrant", "nb", "Domenet {domain}: forvaltes nå av innehaveren",
     "{greeting}\n\n"
     "Fra nå av har registerenheten direkte kontakt med deg om domenet {domain}:\n"
     "den sender deg domenets meldinger og, fra neste fornyelse, fakturaene.\n"
     "Registraren {registrar} tar seg fortsatt av det tekniske oppsettet.\n"
     "Du mottar denne meldingen som domenets innehaver (kontakt {contact}).\n"},
    {"management-change.registrant", "et", "Domeen {domain}: haldab nüüd registreerija",
     "{greeting}\n\n"
     "Edaspidi suhtleb registripidaja domeeni {domain} asjus otse Teiega:\n"
     "saadab Teile domeeni teated ja alates järgmisest pikendamisest ka arved.\n"
     "Tehnilisi seadistusi haldab jätkuvalt registrar {registrar}.\n"
     "Saate selle kirja domeeni registreerijana (kontakt {contact}).\n"},
    {"management-change.registrar", "en", "Domain {domain}: now registrar-managed",
     "{greeting}\n\n"
     "As of now, the domain {domain} is managed for you by its registrar {registrar},\n"
     "which also renews and invoices it. The registry will only ask you from time to time\n"
     "to check your contact data.\n"
     "You receive this message as the domain's registrant (contact {contact}).\n"},
    {"management-change.registrar", "da", "Domænet {domain}: administreres nu af registratoren",
     "{greeting}\n\n"
     "Fra nu af administreres domænet {domain} for dig af registratoren {registrar},\n"
     "som også fornyer og fakturerer det. Registreringsenheden vil kun indimellem bede\n"
     "dig kontrollere dine kontaktoplysninger.\n"
     "Du modtager denne besked som domænets registrant (kontakt {contact}).\n"},
    {"management-change.registrar", "nb", "Domenet {domain}: forvaltes nå av registraren",
     "{greeting}\n\n"
     "Fra nå av forvaltes domenet {domain} for deg av registraren {registrar},\n"
     "som også fornyer og fakturerer det. Registerenheten vil bare av og til be deg\n"
     "kontrollere kontaktopplysningene dine.\n"
     "Du mottar denne meldingen som domenets innehaver (kontakt {contact}).\n"},
    {"management-change.registrar", "et", "Domeen {domain}: haldab nüüd registrar",
     "{greeting}\n\n"
     "Edaspidi haldab domeeni {domain} Teie eest registrar {registrar},\n"
     "kes ka pikendab domeeni ja esitab selle eest arved. Registripidaja palub Teil\n"
     "aeg-ajalt vaid oma kontaktandmeid kontrollida.\n"
     "Saate selle kirja domeeni registreerijana (kontakt {contact}).\n"},

    /* --- R19: registrant-managed renewal, invoiced by the registry -------------------
     * {billed_to} has several lines: each is indented to where it starts. */
    {"registrant-renewal.invoice", "en", "Domain {domain} renewed until {until}: invoice R{number}",
     "{greeting}\n\n"
     "The domain {domain} has been renewed until {until}.\n"
     "You receive this message as its registrant: the domain is managed by you\n"
     "directly with the registry, which therefore invoices you for its renewals.\n\n"
     "Invoice R{number}\n"
     "Issued:    {issued}\n"
     "Due:       {due}\n"
     "Billed to: {billed_to}\n"
     "Contact:   {payer}\n\n"
     "Renewal of {domain} for {years}, {from} to {until}: {amount}\n"
     "Total: {amount}\n\n"
     "Please pay by {due} and quote the invoice number R{number}.\n\n"
     "The domain's technical settings are still looked after by its registrar {registrar}.\n"},
    {"registrant-renewal.invoice", "da", "Domænet {domain} er fornyet til {until}: faktura R{number}",
     "{greeting}\n\n"
     "Domænet {domain} er fornyet til {until}.\n"
     "Du modtager denne besked som domænets registrant: du administrerer selv domænet\n"
     "direkte hos registreringsenheden, som derfor fakturerer dig for fornyelserne.\n\n"
     "Faktura R{number}\n"
     "Udstedt:        {issued}\n"
     "Forfaldsdato:   {due}\n"
     "Faktureres til: {billed_to}\n"
     "Kontakt:        {payer}\n\n"
     "Fornyelse af {domain} for {years}, {from} til {until}: {amount}\n"
     "I alt: {amount}\n\n"
     "Betal venligst senest {due}, og angiv fakturanummer R{number}.\n\n"
     "Domænets tekniske opsætning varetages fortsat af registratoren {registrar}.\n"},
    {"registrant-renewal.invoice", "nb", "Domenet {domain} er fornyet til {until}: faktura R{number}",
     "{greeting}\n\n"
     "Domenet {domain} er fornyet til {until}.\n"
     "Du mottar denne meldingen som domenets innehaver: du forvalter domenet selv\n"
     "direkte hos registerenheten, som derfor fakturerer deg for fornyelsene.\n\n"
     "Faktura R{number}\n"
     "Utstedt:       {issued}\n"
     "Forfallsdato:  {due}\n"
     "Fakturert til: {billed_to}\n"
     "Kontakt:       {payer}\n\n"
     "Fornyelse av {domain} for {years}, {from} til {until}: {amount}\n"
     "Totalt: {amount}\n\n"
     "Vennligst betal innen {due} og oppgi fakturanummer R{number}.\n\n"
     "Domenets tekniske oppsett ivaretas fortsatt av registraren {registrar}.\n"},
    {"registrant-renewal.invoice", "et",
     "Domeeni {domain} registreering on pikendatud kuni {until}: arve R{number}",
     "{greeting}\n\n"
     "Domeeni {domain} registreering on pikendatud kuni {until}.\n"
     "Saate selle kirja domeeni registreerijana: haldate domeeni ise otse\n"
     "registripidaja kaudu, mistõttu registripidaja esitab pikendamise arved Teile.\n\n"
     "Arve R{number}\n"
     "Väljastatud:  {issued}\n"
     "Maksetähtaeg: {due}\n"
     "Arve saaja:   {billed_to}\n"
     "Kontakt:      {payer}\n\n"
     "Domeeni {domain} pikendamine {years}, {from} kuni {until}: {amount}\n"
     "Kokku: {amount}\n\n"
     "Palun tasuge hiljemalt {due} ja märkige arve number R{number}.\n\n"
     "Domeeni tehnilisi seadistusi haldab jätkuvalt registrar {registrar}.\n"},
    {"registrant-renewal.free", "en", "Domain {domain} renewed until {until}",
     "{greeting}\n\n"
     "The domain {domain} has been renewed until {until}.\n"
     "You receive this message as its registrant: the domain is managed by you\n"
     "directly with the registry, which therefore invoices you for its renewals.\n\n"
     "There is nothing to pay for this renewal.\n\n"
     "The domain's technical settings are still looked after by its registrar {registrar}.\n"},
    {"registrant-renewal.free", "da", "Domænet {domain} er fornyet til {until}",
     "{greeting}\n\n"
     "Domænet {domain} er fornyet til {until}.\n"
     "Du modtager denne besked som domænets registrant: du administrerer selv domænet\n"
     "direkte hos registreringsenheden, som derfor fakturerer dig for fornyelserne.\n\n"
     "Der er intet at betale for denne fornyelse.\n\n"
     "Domænets tekniske opsætning varetages fortsat af registratoren {registrar}.\n"},
    {"registrant-renewal.free", "nb", "Domenet {domain} er fornyet til {until}",
     "{greeting}\n\n"
     "Domenet {domain} er fornyet til {until}.\n"
     "Du mottar denne meldingen som domenets innehaver: du forvalter domenet selv\n"
     "direkte hos registerenheten, som derfor fakturerer deg for fornyelsene.\n\n"
     "Det er ingenting å betale for denne fornyelsen.\n\n"
     "Domenets tekniske oppsett ivaretas fortsatt av registraren {registrar}.\n"},
    {"registrant-renewal.free", "et", "Domeeni {domain} registreering on pikendatud kuni {until}",
     "{greeting}\n\n"
     "Domeeni {domain} registreering on pikendatud kuni {until}.\n"
     "Saate selle kirja domeeni registreerijana: haldate domeeni ise otse\n"
     "registripidaja kaudu, mistõttu registripidaja esitab pikendamise arved Teile.\n\n"
     "Selle pikendamise eest ei ole midagi maksta.\n\n"
     "Domeeni tehnilisi seadistusi haldab jätkuvalt registrar {registrar}.\n"},
    /* "for 2 years" (et: translative, the same for one and more) */
    {"years.one", "en", NULL, "{n} year"},
    {"years.one", "da", NULL, "{n} år"},
    {"years.one", "nb", NULL, "{n} år"},
    {"years.one", "et", NULL, "{n} aastaks"},
    {"years.other", "en", NULL, "{n} years"},
    {"years.other", "da", NULL, "{n} år"},
    {"years.other", "nb", NULL, "{n} år"},
    {"years.other", "et", NULL, "{n} aastaks"},

    /* --- R19: contact-data check of a registrar-managed domain's registrant -----------
     * {domains} and {data} are whole lines, each ending with a line end. */
    {"contact-check", "en", "Please check your contact data in the .{tld} registry",
     "{greeting}\n\n"
     "You are the registrant (holder) of these domains in the .{tld} registry:\n"
     "{domains}\n"
     "This is what the registry holds about you, as contact {contact}:\n"
     "{data}\n"
     "Please check it. If anything is wrong or out of date, ask your registrar to\n"
     "correct it: the registry publishes who holds each domain, and it must be able\n"
     "to reach you. If everything is right, there is nothing to do.\n"},
    {"contact-check", "da", "Kontrollér venligst dine kontaktoplysninger i .{tld}-registret",
     "{greeting}\n\n"
     "Du er registrant (indehaver) af disse domæner i .{tld}-registret:\n"
     "{domains}\n"
     "Registreringsenheden har disse oplysninger om dig som kontakt {contact}:\n"
     "{data}\n"
     "Kontrollér venligst oplysningerne. Er noget forkert eller forældet, så bed din\n"
     "registrator om at rette det: registreringsenheden offentliggør, hvem der er\n"
     "registrant for hvert domæne, og skal kunne kontakte dig. Er alt korrekt, skal du\n"
     "ikke gøre noget.\n"},
    {"contact-check", "nb", "Vennligst kontroller kontaktopplysningene dine i .{tld}-registeret",
     "{greeting}\n\n"
     "Du er innehaver av disse domenene i .{tld}-registeret:\n"
     "{domains}\n"
     "Registerenheten har disse opplysningene om deg som kontakt {contact}:\n"
     "{data}\n"
     "Vennligst kontroller opplysningene. Er noe feil eller utdatert, ber du registraren\n"
     "din om å rette det: registerenheten offentliggjør hvem som er innehaver av hvert\n"
     "domene, og må kunne nå deg. Er alt riktig, trenger du ikke gjøre noe.\n"},
    {"contact-check", "et", "Palun kontrollige oma kontaktandmeid .{tld} registris",
     "{greeting}\n\n"
     "Te olete nende domeenide registreerija (omanik) .{tld} registris:\n"
     "{domains}\n"
     "Registripidajal on Teie kohta kontaktina {contact} järgmised andmed:\n"
     "{data}\n"
     "Palun kontrollige neid andmeid. Kui midagi on vale või aegunud, paluge oma\n"
     "registraril seda parandada: registripidaja avaldab iga domeeni registreerija ning\n"
     "peab saama Teiega ühendust võtta. Kui kõik on õige, ei pea Te midagi tegema.\n"},
    {"contact-check.domain", "en", NULL, "  {domain}, registrar {registrar}"},
    {"contact-check.domain", "da", NULL, "  {domain}, registrator {registrar}"},
    {"contact-check.domain", "nb", NULL, "  {domain}, registrar {registrar}"},
    {"contact-check.domain", "et", NULL, "  {domain}, registrar {registrar}"},
    /* the end of a list cut short */
    {"list.more", "en", NULL, "  … and {n} more"},
    {"list.more", "da", NULL, "  … og {n} mere"},
    {"list.more", "nb", NULL, "  … og {n} til"},
    {"list.more", "et", NULL, "  … ja veel {n}"},
    {"label.name", "en", NULL, "Name:"},
    {"label.name", "da", NULL, "Navn:"},
    {"label.name", "nb", NULL, "Navn:"},
    {"label.name", "et", NULL, "Nimi:"},
    {"label.org", "en", NULL, "Organisation:"},
    {"label.org", "da", NULL, "Organisation:"},
    {"label.org", "nb", NULL, "Organisasjon:"},
    {"label.org", "et", NULL, "Organisatsioon:"},
    {"label.address", "en", NULL, "Address:"},
    {"label.address", "da", NULL, "Adresse:"},
    {"label.address", "nb", NULL, "Adresse:"},
    {"label.address", "et", NULL, "Aadress:"},
    {"label.phone", "en", NULL, "Phone:"},
    {"label.phone", "da", NULL, "Telefon:"},
    {"label.phone", "nb", NULL, "Telefon:"},
    {"label.phone", "et", NULL, "Telefon:"},
    {"label.mobile", "en", NULL, "Mobile:"},
    {"label.mobile", "da", NULL, "Mobil:"},
    {"label.mobile", "nb", NULL, "Mobil:"},
    {"label.mobile", "et", NULL, "Mobiil:"},
    {"label.email", "en", NULL, "E-mail:"},
    {"label.email", "da", NULL, "E-mail:"},
    {"label.email", "nb", NULL, "E-post:"},
    {"label.email", "et", NULL, "E-post:"},

    /* --- R21, R22: identity checks ---------------------------------------------------- */
    {"idcheck.how", "en", NULL,
     "- with an electronic ID (eID), where the registry or your registrar offers it, or\n"
     "- by sending the registry an official document that shows who you are: for a\n"
     "  person a passport or national identity card, for a company or association\n"
     "  its registration certificate, to {documents}.\n"
     "  Quote your contact id {contact}.\n"},
    {"idcheck.how", "da", NULL,
     "- med elektronisk ID (eID), hvor registreringsenheden eller din registrator\n"
     "  tilbyder det, eller\n"
     "- ved at sende registreringsenheden et officielt dokument, der viser, hvem du er:\n"
     "  for en person et pas eller nationalt identitetskort, for en virksomhed eller\n"
     "  forening dens registreringsbevis, til {documents}.\n"
     "  Angiv dit kontakt-id {contact}.\n"},
    {"idcheck.how", "nb", NULL,
     "- med elektronisk ID (eID), der registerenheten eller registraren din tilbyr det,\n"
     "  eller\n"
     "- ved å sende registerenheten et offisielt dokument som viser hvem du er: for en\n"
     "  person pass eller nasjonalt ID-kort, for et foretak eller en forening\n"
     "  registreringsattesten, til {documents}.\n"
     "  Oppgi kontakt-ID-en din {contact}.\n"},
    {"idcheck.how", "et", NULL,
     "- elektroonilise isikutuvastusega (eID), kui registripidaja või Teie registrar\n"
     "  seda võimaldab, või\n"
     "- saates registripidajale ametliku dokumendi, mis näitab, kes Te olete: isiku\n"
     "  puhul pass või isikutunnistus, ettevõtte või ühingu puhul registreerimistõend,\n"
     "  aadressile {documents}. Märkige oma kontakti ID {contact}.\n"},
    {"idcheck-pending", "en", "Please confirm your identity by {deadline}",
     "{greeting}\n\n"
     "Contact {contact} is now the registrant (holder) of the domain {domain}.\n"
     "The registry checks the identity of every registrant, so that it is\n"
     "known for certain who holds each domain name.\n\n"
     "Please confirm your identity by {deadline}:\n"
     "{how}\n"
     "If your identity is not confirmed by then, your domains are suspended\n"
     "(taken out of the DNS) and deleted {delete_days} days later.\n\n"
     "If you did not ask for this domain, please contact your registrar {registrar}.\n"},
    {"idcheck-pending", "da", "Bekræft venligst din identitet senest {deadline}",
     "{greeting}\n\n"
     "Kontakt {contact} er nu registrant (indehaver) af domænet {domain}.\n"
     "Registreringsenheden kontrollerer identiteten på alle registranter, så det\n"
     "med sikkerhed vides, hvem der står bag hvert domænenavn.\n\n"
     "Bekræft venligst din identitet senest {deadline}:\n"
     "{how}\n"
     "Er din identitet ikke bekræftet inden da, bliver dine domæner suspenderet\n"
     "(fjernet fra DNS) og slettet {delete_days} dage senere.\n\n"
     "Hvis du ikke har bestilt dette domæne, bedes du kontakte din registrator {registrar}.\n"},
    {"idcheck-pending", "nb", "Vennligst bekreft identiteten din innen {deadline}",
     "{greeting}\n\n"
     "Kontakt {contact} er nå innehaver av domenet {domain}.\n"
     "Registerenheten kontrollerer identiteten til alle innehavere, slik at det\n"
     "er sikkert hvem som står bak hvert domenenavn.\n\n"
     "Vennligst bekreft identiteten din innen {deadline}:\n"
     "{how}\n"
     "Er identiteten din ikke bekreftet innen da, blir domenene dine suspendert\n"
     "(tatt ut av DNS) og slettet {delete_days} dager senere.\n\n"
     "Hvis du ikke har bestilt dette domenet, ber vi deg kontakte registraren din {registrar}.\n"},
    {"idcheck-pending", "et", "Palun kinnitage oma isik hiljemalt {deadline}",
     "{greeting}\n\n"
     "Kontakt {contact} on nüüd domeeni {domain} registreerija (omanik).\n"
     "Registripidaja kontrollib iga registreerija isikut, et oleks kindlalt teada,\n"
     "kellele iga domeeninimi kuulub.\n\n"
     "Palun kinnitage oma isik hiljemalt {deadline}:\n"
     "{how}\n"
     "Kui Teie isikut selleks ajaks kinnitatud ei ole, peatatakse Teie domeenid\n"
     "(eemaldatakse DNS-ist) ja kustutatakse {delete_days} päeva hiljem.\n\n"
     "Kui Te seda domeeni ei taotlenud, võtke palun ühendust oma registrariga {registrar}.\n"},
    {"idcheck-failed.missed", "en", NULL,
     "The identity of contact {contact} was not confirmed by {deadline}."},
    {"idcheck-failed.missed", "da", NULL,
     "Identiteten for kontakt {contact} blev ikke bekræftet senest {deadline}."},
    {"idcheck-failed.missed", "nb", NULL,
     "Identiteten til kontakt {contact} ble ikke bekreftet innen {deadline}."},
    {"idcheck-failed.missed", "et", NULL,
     "Kontakti {contact} isikut ei kinnitatud hiljemalt {deadline}."},
    {"idcheck-failed.refused", "en", NULL,
     "The registry could not confirm the identity of contact {contact}."},
    {"idcheck-failed.refused", "da", NULL,
     "Registreringsenheden kunne ikke bekræfte identiteten for kontakt {contact}."},
    {"idcheck-failed.refused", "nb", NULL,
     "Registerenheten kunne ikke bekrefte identiteten til kontakt {contact}."},
    {"idcheck-failed.refused", "et", NULL,
     "Registripidaja ei saanud kontakti {contact} isikut kinnitada."},
    {"idcheck-failed.domain", "en", NULL, "  {domain}  deleted on {date}"},
    {"idcheck-failed.domain", "da", NULL, "  {domain}  slettes {date}"},
    {"idcheck-failed.domain", "nb", NULL, "  {domain}  slettes {date}"},
    {"idcheck-failed.domain", "et", NULL, "  {domain}  kustutatakse {date}"},
    {"idcheck-failed.suspended", "en", "Identity check failed: your domains are suspended",
     "{greeting}\n\n"
     "{reason}\n\n"
     "The domains it holds are suspended: they are out of the DNS, so web\n"
     "sites and e-mail under them no longer work. Each is deleted on the\n"
     "date shown unless your identity is confirmed before:\n\n"
     "{domains}\n"
     "To keep them, confirm your identity:\n"
     "{how}\n"
     "With questions, please ask your registrar {registrar}.\n"},
    {"idcheck-failed.suspended", "da", "Identitetskontrollen mislykkedes: dine domæner er suspenderet",
     "{greeting}\n\n"
     "{reason}\n\n"
     "Domænerne, som kontakten er registrant for, er suspenderet: de er fjernet fra DNS,\n"
     "så hjemmesider og e-mail under dem virker ikke længere. Hvert domæne slettes på\n"
     "den viste dato, medmindre din identitet bekræftes inden da:\n\n"
     "{domains}\n"
     "Bekræft din identitet for at beholde dem:\n"
     "{how}\n"
     "Har du spørgsmål, så kontakt din registrator {registrar}.\n"},
    {"idcheck-failed.suspended", "nb", "Identitetskontrollen mislyktes: domenene dine er suspendert",
     "{greeting}\n\n"
     "{reason}\n\n"
     "Domenene kontakten er innehaver av, er suspendert: de er tatt ut av DNS, så\n"
     "nettsider og e-post under dem virker ikke lenger. Hvert domene slettes på datoen\n"
     "som er vist, med mindre identiteten din blir bekreftet før det:\n\n"
     "{domains}\n"
     "Bekreft identiteten din for å beholde dem:\n"
     "{how}\n"
     "Har du spørsmål, kan du kontakte registraren din {registrar}.\n"},
    {"idcheck-failed.suspended", "et", "Isikutuvastus ebaõnnestus: Teie domeenid on peatatud",
     "{greeting}\n\n"
     "{reason}\n\n"
     "Kontakti domeenid on peatatud: need on DNS-ist eemaldatud, nii et nende all olevad\n"
     "veebilehed ja e-post enam ei tööta. Iga domeen kustutatakse näidatud kuupäeval,\n"
     "kui Teie isikut enne seda ei kinnitata:\n\n"
     "{domains}\n"
     "Domeenide säilitamiseks kinnitage oma isik:\n"
     "{how}\n"
     "Küsimuste korral pöörduge palun oma registrari {registrar} poole.\n"},
    {"idcheck-failed.none", "en", "Identity check failed",
     "{greeting}\n\n"
     "{reason}\n\n"
     "As long as it is not confirmed, contact {contact} cannot hold domain names.\n"
     "To confirm your identity:\n"
     "{how}\n"
     "With questions, please ask your registrar {registrar}.\n"},
    {"idcheck-failed.none", "da", "Identitetskontrollen mislykkedes",
     "{greeting}\n\n"
     "{reason}\n\n"
     "Så længe den ikke er bekræftet, kan kontakt {contact} ikke være registrant for\n"
     "domænenavne. Sådan bekræfter du din identitet:\n"
     "{how}\n"
     "Har du spørgsmål, så kontakt din registrator {registrar}.\n"},
    {"idcheck-failed.none", "nb", "Identitetskontrollen mislyktes",
     "{greeting}\n\n"
     "{reason}\n\n"
     "Så lenge den ikke er bekreftet, kan kontakt {contact} ikke være innehaver av\n"
     "domenenavn. Slik bekrefter du identiteten din:\n"
     "{how}\n"
     "Har du spørsmål, kan du kontakte registraren din {registrar}.\n"},
    {"idcheck-failed.none", "et", "Isikutuvastus ebaõnnestus",
     "{greeting}\n\n"
     "{reason}\n\n"
     "Kuni isikut pole kinnitatud, ei saa kontakt {contact} domeeninimesid omada.\n"
     "Isiku kinnitamiseks:\n"
     "{how}\n"
     "Küsimuste korral pöörduge palun oma registrari {registrar} poole.\n"},

    /* --- regctl outbox test ---------------------------------------------------------- */
    {"outbox-test.email", "en", "Test message from the registry",
     "This is a test message, queued with regctl outbox test at {time}.\n"
     "If you can read it, the registry's e-mail delivery works.\n"},
    {"outbox-test.email", "da", "Testbesked fra registreringsenheden",
     "Dette er en testbesked, sat i kø med regctl outbox test {time}.\n"
     "Hvis du kan læse den, virker registreringsenhedens afsendelse af e-mail.\n"},
    {"outbox-test.email", "nb", "Testmelding fra registerenheten",
     "Dette er en testmelding, lagt i kø med regctl outbox test {time}.\n"
     "Hvis du kan lese den, fungerer registerenhetens utsending av e-post.\n"},
    {"outbox-test.email", "et", "Registripidaja testkiri",
     "See on testkiri, mis pandi järjekorda käsuga regctl outbox test {time}.\n"
     "Kui saate seda lugeda, toimib registripidaja e-posti saatmine.\n"},
    {"outbox-test.sms", "en", NULL, "Test message from the registry, queued {time}: SMS delivery works."},
    {"outbox-test.sms", "da", NULL,
     "Testbesked fra registreringsenheden, sat i kø {time}: afsendelse af SMS virker."},
    {"outbox-test.sms", "nb", NULL,
     "Testmelding fra registerenheten, lagt i kø {time}: utsending av SMS fungerer."},
    {"outbox-test.sms", "et", NULL,
     "Registripidaja testsõnum, järjekorda pandud {time}: SMS-ide saatmine toimib."},
    {"zone-held", "en", "Zone .{tld} held by the safety guard",
     "At {time} a publication of the .{tld} zone was held: it would have removed {removed} "
     "of the {previous} delegations published last (the limit is {limit}).\n\n"
     "The name servers keep the zone published last until staff act:\n"
     "  regctl zone diff            what the next run would change\n"
     "  regctl zone export --force  publish it all the same\n"
     "Until then every run is held; this mail is sent once a hold.\n"},
    {"zone-held", "da", "Zonen .{tld} tilbageholdt af sikkerhedsgrænsen",
     "{time} blev en udgivelse af zonen .{tld} tilbageholdt: den ville have fjernet {removed} "
     "af de {previous} delegeringer, der sidst blev udgivet (grænsen er {limit}).\n\n"
     "Navneserverne beholder den sidst udgivne zone, indtil driften griber ind:\n"
     "  regctl zone diff            hvad næste kørsel ville ændre\n"
     "  regctl zone export --force  udgiv den alligevel\n"
     "Indtil da tilbageholdes hver kørsel; denne mail sendes én gang pr. tilbageholdelse.\n"},
    {"zone-held", "nb", "Sonen .{tld} holdt tilbake av sikkerhetsgrensen",
     "{time} ble en publisering av sonen .{tld} holdt tilbake: den ville ha fjernet {removed} "
     "av de {previous} delegeringene som sist ble publisert (grensen er {limit}).\n\n"
     "Navnetjenerne beholder sonen som sist ble publisert, til driften griper inn:\n"
     "  regctl zone diff            hva neste kjøring ville endre\n"
     "  regctl zone export --force  publiser den likevel\n"
     "Inntil da holdes hver kjøring tilbake; denne e-posten sendes én gang per "
     "tilbakeholdelse.\n"},
    {"zone-held", "et", "Tsooni .{tld} peatas ohutuspiir",
     "{time} peatati tsooni .{tld} avaldamine: see oleks eemaldanud {removed} viimati "
     "avaldatud {previous} delegeeringust (piir on {limit}).\n\n"
     "Nimeserverid jäävad viimati avaldatud tsooni juurde, kuni haldus sekkub:\n"
     "  regctl zone diff            mida järgmine käivitus muudaks\n"
     "  regctl zone export --force  avalda see siiski\n"
     "Seni peatatakse iga käivitus; see kiri saadetakse üks kord peatamise kohta.\n"},
};
const size_t template_count = sizeof templates / sizeof templates[0];

bool template_lang_known(const char *lang)
{
    for (size_t i = 0; lang && i < TEMPLATE_LANG_COUNT; i++)
        if (!strcmp(lang, template_langs[i]))
            return true;
    return false;
}

const char *template_lang_for(const char *override, const char *cc, const char *fallback)
{
    /* the countries where one of our languages is the (or an) official one */
    static const struct {
        const char *cc, *lang;
    } by_country[] = {{"DK", "da"}, {"FO", "da"}, {"GL", "da"},
                      {"NO", "nb"}, {"SJ", "nb"}, {"EE", "et"}};
    if (template_lang_known(override))
        return override;
    for (size_t i = 0; cc && i < sizeof by_country / sizeof by_country[0]; i++)
        if (!strcasecmp(cc, by_country[i].cc))
            return by_country[i].lang;
    return template_lang_known(fallback) ? fallback : "en";
}

/* The operator's own texts ([mail] templates, template_overrides_load):
 * set once at start-up, before any thread renders. */
static struct template *overrides;
static size_t noverrides;

/* The branding of every mail's signature (template_branding_set). */
static struct {
    char name[256], support[256], terms[512];
} branding;

static const struct template *find_in(const struct template *table, size_t n, const char *id,
                                      const char *lang)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(table[i].id, id) && !strcmp(table[i].lang, lang))
            return &table[i];
    return NULL;
}

/* The operator's text in lang, else ours, else the same in English. */
static const struct template *find(const char *id, const char *lang)
{
    const struct template *t = find_in(overrides, noverrides, id, lang);
    if (!t)
        t = find_in(templates, template_count, id, lang);
    if (!t && strcmp(lang, "en"))
        t = find(id, "en");
    return t;
}

static bool name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* Length of the placeholder name at p (just after '{'), 0 if it is none. */
static size_t name_len(const char *p)
{
    size_t n = 0;
    while (name_char(p[n]))
        n++;
    return n && p[n] == '}' ? n : 0;
}

/* Is the word w (n bytes) in the space-separated list? */
static bool has_word(const char *list, const char *w, size_t n)
{
    for (const char *p = list; *p;) {
        size_t k = strcspn(p, " ");
        if (k == n && !strncmp(p, w, n))
            return true;
        p += k + (p[k] == ' ');
    }
    return false;
}

bool template_placeholders(const char *text, char *out, size_t outlen)
{
    size_t used = 0;
    if (!outlen)
        return false;
    out[0] = '\0';
    for (const char *p = text; *p; p++) {
        if (*p == '}')
            return false;
        if (*p != '{')
            continue;
        size_t n = name_len(p + 1);
        if (!n)
            return false;
        if (!has_word(out, p + 1, n)) {
            if (used + n + 2 > outlen)
                return false;
            if (used)
                out[used++] = ' ';
            memcpy(out + used, p + 1, n);
            used += n;
            out[used] = '\0';
        }
        p += n + 1;
    }
    return true;
}

static const char *value_of(const struct template_var *vars, size_t nvars, const char *name,
                            size_t n)
{
    for (size_t i = 0; i < nvars; i++)
        if (strlen(vars[i].name) == n && !strncmp(vars[i].name, name, n))
            return vars[i].value;
    return NULL;
}

/* Characters (not bytes) since the last line end of what sb holds. */
static size_t column(const strbuf *sb)
{
    const char *all = sb_str(sb), *line = strrchr(all, '\n');
    size_t n = 0;
    for (const char *p = line ? line + 1 : all; *p; p++)
        n += ((unsigned char)*p & 0xc0) != 0x80;
    return n;
}

/* A value of several lines continues at the column its placeholder
 * started in (an address after "Billed to: "). */
static void put_value(strbuf *sb, const char *v)
{
    size_t indent = strchr(v, '\n') ? column(sb) : 0;
    for (const char *p = v; *p; p++) {
        sb_putc(sb, *p);
        if (*p == '\n' && p[1] && p[1] != '\n')
            for (size_t i = 0; i < indent; i++)
                sb_putc(sb, ' ');
    }
}

bool template_placeholder_secret(const char *name, size_t len)
{
    return has_word(TEMPLATE_SECRET_PLACEHOLDERS, name, len);
}

static const struct template_kind *kind_of(const char *id)
{
    for (size_t i = 0; i < template_kind_count; i++)
        if (!strcmp(template_kinds[i].id, id))
            return &template_kinds[i];
    return NULL;
}

/* Expands text into *out; the spans of secret values go to r, and a
 * secret where none may be (r NULL: a subject or a part) is refused. */
static reg_err expand(const struct template *t, const char *text, const struct template_var *vars,
                      size_t nvars, char **out, struct rendered *r, reg_status *st)
{
    strbuf sb;
    sb_init(&sb);
    for (const char *p = text; *p; p++) {
        size_t n = *p == '{' ? name_len(p + 1) : 0;
        if (!n) {
            sb_putc(&sb, *p);
            continue;
        }
        const char *v = value_of(vars, nvars, p + 1, n);
        bool secret = template_placeholder_secret(p + 1, n);
        if (!v || (secret && (!r || r->nsecrets == TEMPLATE_SECRETS_MAX))) {
            sb_free(&sb);
            return reg_fail(st, REG_ERR_INTERNAL, "template %s (%s): %s {%.*s}", t->id, t->lang,
                            !v ? "no value for" : "a secret where it cannot be kept apart:",
                            (int)n, p + 1);
        }
        size_t start = sb.len;
        put_value(&sb, v);
        if (secret)
            r->secrets[r->nsecrets++] = (struct template_span){start, sb.len - start};
        p += n + 1;
    }
    if (sb.err) {
        sb_free(&sb);
        return reg_fail(st, REG_ERR_NOMEM, "out of memory");
    }
    *out = sb_steal(&sb);
    if (!*out) /* an empty text */
        *out = strdup("");
    return *out ? REG_OK : reg_fail(st, REG_ERR_NOMEM, "out of memory");
}

static size_t lang_index(const char *lang)
{
    for (size_t i = 0; i < TEMPLATE_LANG_COUNT; i++)
        if (!strcmp(template_langs[i], lang))
            return i;
    return 0;
}

void template_branding_set(const char *name, const char *support, const char *terms_url)
{
    str_copy(branding.name, sizeof branding.name, name ? name : "");
    str_copy(branding.support, sizeof branding.support, support ? support : "");
    str_copy(branding.terms, sizeof branding.terms, terms_url ? terms_url : "");
}

const char *template_label(const char *id, const char *lang)
{
    const struct template *t = find(id, lang && template_lang_known(lang) ? lang : "en");
    return t ? t->body : id;
}

/* One line of the signature, "Label: value", when value is set. */
static void signature_line(strbuf *sb, const char *label_id, const char *lang,
                           const char *value)
{
    if (value[0])
        sb_printf(sb, "%s: %s\n", template_label(label_id, lang), value);
}

/* body, a blank line and the signature ("-- " on a line of its own). */
static reg_err sign(char **body, const char *lang, reg_status *st)
{
    strbuf sb;
    sb_init(&sb);
    size_t n = strlen(*body);
    while (n && (*body)[n - 1] == '\n')
        n--;
    sb_append(&sb, *body, n);
    sb_puts(&sb, "\n\n-- \n");
    sb_puts(&sb, branding.name[0] ? branding.name : default_signature[lang_index(lang)]);
    sb_putc(&sb, '\n');
    signature_line(&sb, "label.support", lang, branding.support);
    signature_line(&sb, "label.terms", lang, branding.terms);
    if (sb.err) {
        sb_free(&sb);
        return reg_fail(st, REG_ERR_NOMEM, "out of memory");
    }
    free(*body);
    *body = sb_steal(&sb);
    return REG_OK;
}

reg_err template_render(const char *id, const char *lang, const struct template_var *vars,
                        size_t nvars, struct rendered *out, reg_status *st)
{
    memset(out, 0, sizeof *out);
    const struct template *t = find(id, lang && template_lang_known(lang) ? lang : "en");
    if (!t)
        return reg_fail(st, REG_ERR_INTERNAL, "no template %s", id);
    const struct template_kind *k = kind_of(id);
    bool part = k && k->channel == TEMPLATE_PART;
    if (t->subject && expand(t, t->subject, vars, nvars, &out->subject, NULL, st))
        return st->code;
    if (expand(t, t->body, vars, nvars, &out->body, part ? NULL : out, st))
        return st->code;
    return k && k->channel == TEMPLATE_EMAIL ? sign(&out->body, t->lang, st) : REG_OK;
}

/* ---- the operator's own texts ---------------------------------------------- */

#define OVERRIDE_MAX_BYTES (64 * 1024)

/* The space-separated words of list, sorted, into out (to compare sets). */
static bool sorted_words(const char *list, char *out, size_t n)
{
    char raw[512];
    str_copy(raw, sizeof raw, list);
    char *words[64];
    size_t nw = 0;
    for (char *save = NULL, *w = strtok_r(raw, " ", &save); w && nw < 64;
         w = strtok_r(NULL, " ", &save))
        words[nw++] = w;
    for (size_t i = 1; i < nw; i++)
        for (size_t j = i; j > 0 && strcmp(words[j - 1], words[j]) > 0; j--) {
            char *x = words[j];
            words[j] = words[j - 1];
            words[j - 1] = x;
        }
    out[0] = '\0';
    size_t used = 0;
    for (size_t i = 0; i < nw; i++) {
        int k = snprintf(out + used, n - used, "%s%s", i ? " " : "", words[i]);
        if (k < 0 || (size_t)k >= n - used)
            return false;
        used += (size_t)k;
    }
    return true;
}

/* The placeholders of text, sorted. */
static bool sorted_placeholders(const char *text, char *out, size_t n)
{
    char names[512];
    return template_placeholders(text, names, sizeof names) && sorted_words(names, out, n);
}

static bool valid_utf8(const char *s)
{
    uint32_t cp;
    for (size_t k; *s; s += k)
        if (!(k = utf8_decode(s, &cp)))
            return false;
    return true;
}

/* Reads and checks one file NAME (id.lang.txt) of dir into *t. */
static reg_err load_one(const char *dir, const char *name, struct template *t, reg_status *st)
{
    char path[1024], id[128], lang[8];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    size_t len = strlen(name) - 4; /* without .txt */
    const char *dot = memrchr(name, '.', len);
    if (!dot || dot == name || (size_t)(dot - name) >= sizeof id || len - (size_t)(dot - name) - 1 >= sizeof lang)
        return reg_fail(st, REG_ERR_INVALID, "%s: not named ID.LANG.txt (e.g. otp.email.da.txt)",
                        path);
    snprintf(id, sizeof id, "%.*s", (int)(dot - name), name);
    snprintf(lang, sizeof lang, "%.*s", (int)(len - (size_t)(dot - name) - 1), dot + 1);
    const struct template_kind *k = kind_of(id);
    if (!k)
        return reg_fail(st, REG_ERR_INVALID, "%s: no message is called %s", path, id);
    if (!template_lang_known(lang))
        return reg_fail(st, REG_ERR_INVALID, "%s: %s is not a language of ours (en, da, nb, et)",
                        path, lang);
    FILE *f = fopen(path, "r");
    if (!f)
        return reg_fail(st, REG_ERR_INVALID, "%s: %s", path, strerror(errno));
    char *text = malloc(OVERRIDE_MAX_BYTES + 1);
    size_t got = text ? fread(text, 1, OVERRIDE_MAX_BYTES + 1, f) : 0;
    fclose(f);
    if (!text)
        return reg_fail(st, REG_ERR_NOMEM, "out of memory");
    text[got > OVERRIDE_MAX_BYTES ? OVERRIDE_MAX_BYTES : got] = '\0';
    reg_err e = REG_OK;
    char *subject = NULL, *body = text;
    if (got > OVERRIDE_MAX_BYTES || strlen(text) != got || !valid_utf8(text)) {
        e = reg_fail(st, REG_ERR_INVALID, "%s: %s", path,
                     got > OVERRIDE_MAX_BYTES ? "longer than 64 KiB" : "not UTF-8 text");
    } else if (k->channel == TEMPLATE_EMAIL) {
        char *eol = strchr(text, '\n');
        if (strncmp(text, "Subject: ", 9) || !eol || eol[1] != '\n' || eol == text + 9)
            e = reg_fail(st, REG_ERR_INVALID, "%s: an e-mail starts with a line \"Subject: ...\" "
                         "and an empty line before its body", path);
        else {
            *eol = '\0';
            subject = text + 9;
            body = eol + 2;
        }
    }
    size_t blen = strlen(body); /* the file's last line end is not part of the text */
    if (!e && blen && body[blen - 1] == '\n')
        body[blen - 1] = '\0';
    char want[512], have[512];
    if (!e) {
        if (!sorted_words(k->placeholders, want, sizeof want))
            e = reg_fail(st, REG_ERR_INTERNAL, "%s: the placeholders of %s", path, id);
    }
    if (!e) {
        strbuf both;
        sb_init(&both);
        sb_puts(&both, subject ? subject : "");
        sb_putc(&both, '\n');
        sb_puts(&both, body);
        bool ok = sorted_placeholders(sb_str(&both), have, sizeof have);
        sb_free(&both);
        char secrets[512];
        if (!ok)
            e = reg_fail(st, REG_ERR_INVALID, "%s: a brace that is not part of a {placeholder}",
                         path);
        else if (strcmp(want, have))
            e = reg_fail(st, REG_ERR_INVALID, "%s: uses {%s} where %s needs exactly {%s}", path,
                         have, id, want);
        else if (subject && template_placeholders(subject, secrets, sizeof secrets)) {
            for (char *save = NULL, *w = strtok_r(secrets, " ", &save); w && !e;
                 w = strtok_r(NULL, " ", &save))
                if (template_placeholder_secret(w, strlen(w)))
                    e = reg_fail(st, REG_ERR_INVALID, "%s: {%s} is secret and may stand only "
                                 "in the body, not in the subject", path, w);
        }
    }
    if (!e) {
        t->id = strdup(id);
        t->lang = strdup(lang);
        t->subject = subject ? strdup(subject) : NULL;
        t->body = strdup(body);
        if (!t->id || !t->lang || (subject && !t->subject) || !t->body)
            e = reg_fail(st, REG_ERR_NOMEM, "out of memory");
    }
    free(text);
    return e;
}

static void free_templates(struct template *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free((char *)t[i].id);
        free((char *)t[i].lang);
        free((char *)t[i].subject);
        free((char *)t[i].body);
    }
    free(t);
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n > k && !strcmp(s + n - k, suffix);
}

reg_err template_overrides_load(const char *dir, size_t *count, reg_status *st)
{
    *count = 0;
    template_overrides_clear();
    if (!dir || !dir[0])
        return REG_OK;
    DIR *d = opendir(dir);
    if (!d)
        return reg_fail(st, REG_ERR_INVALID, "mail templates %s: %s", dir, strerror(errno));
    struct template *all = NULL;
    size_t n = 0;
    reg_err e = REG_OK;
    for (struct dirent *de; !e && (de = readdir(d));) {
        if (de->d_name[0] == '.' || !has_suffix(de->d_name, ".txt"))
            continue; /* a README or an editor's backup is not a template */
        struct template *grown = realloc(all, (n + 1) * sizeof *all);
        if (!grown) {
            e = reg_fail(st, REG_ERR_NOMEM, "out of memory");
            break;
        }
        all = grown;
        memset(&all[n], 0, sizeof all[n]);
        e = load_one(dir, de->d_name, &all[n], st);
        n++;
    }
    closedir(d);
    if (e) {
        free_templates(all, n);
        return e;
    }
    overrides = all;
    noverrides = *count = n;
    return REG_OK;
}

void template_overrides_clear(void)
{
    free_templates(overrides, noverrides);
    overrides = NULL;
    noverrides = 0;
}

/* ---- writing ours out ----------------------------------------------------- */

reg_err template_export(const char *dir, size_t *count, reg_status *st)
{
    *count = 0;
    if (mkdir(dir, 0755) && errno != EEXIST)
        return reg_fail(st, REG_ERR_INVALID, "%s: %s", dir, strerror(errno));
    for (size_t i = 0; i < template_count; i++) {
        const struct template *t = &templates[i];
        char path[1024];
        snprintf(path, sizeof path, "%s/%s.%s.txt", dir, t->id, t->lang);
        FILE *f = fopen(path, "wx");
        if (!f)
            return reg_fail(st, REG_ERR_INVALID, "%s: %s", path,
                            errno == EEXIST ? "exists already (nothing is overwritten)"
                                            : strerror(errno));
        if (t->subject)
            fprintf(f, "Subject: %s\n\n", t->subject);
        fputs(t->body, f);
        fputc('\n', f); /* a text file's last line end, dropped again when read */
        if (fclose(f))
            return reg_fail(st, REG_ERR_INVALID, "%s: %s", path, strerror(errno));
        (*count)++;
    }
    return REG_OK;
}

void rendered_free(struct rendered *r)
{
    free(r->subject);
    free(r->body);
    r->subject = r->body = NULL;
    r->nsecrets = 0;
}
