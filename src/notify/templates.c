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

#include "contrib/strbuf.h"

const char *const template_langs[TEMPLATE_LANG_COUNT] = {"en", "da", "nb", "et"};

#define SIG_EN "\n-- \nThe registry\n"
#define SIG_DA "\n-- \nRegistreringsenheden\n"
#define SIG_NB "\n-- \nRegisterenheten\n"
#define SIG_ET "\n-- \nRegistripidaja\n"

const struct template_kind template_kinds[] = {
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
    {"otp.email", TEMPLATE_EMAIL, "domain code expiry"},
    {"otp.sms", TEMPLATE_SMS, "domain code expiry"},
    /* regctl outbox test: checks the relay or the SMS gateway */
    {"outbox-test.email", TEMPLATE_EMAIL, "time"},
    {"outbox-test.sms", TEMPLATE_SMS, "time"},
};
const size_t template_kind_count = sizeof template_kinds / sizeof template_kinds[0];

const struct template templates[] = {
    /* --- phrases ------------------------------------------------------------ */
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
     "If you did not ask for the change, please contact the registrar at once.\n" SIG_EN},
    {"contact-email-change.old", "da", "Kontakt {contact}: e-mailadressen er ændret",
     "{greeting}\n\n"
     "Den {date} blev e-mailadressen for kontakten {contact} i registret ændret\n"
     "fra {old_email}\n"
     "til {new_email}\n"
     "{changed_by}.\n\n"
     "Denne adresse vil ikke længere modtage beskeder om kontakten.\n"
     "Hvis du ikke har bedt om ændringen, bedes du straks kontakte registratoren.\n" SIG_DA},
    {"contact-email-change.old", "nb", "Kontakt {contact}: e-postadressen er endret",
     "{greeting}\n\n"
     "Den {date} ble e-postadressen til kontakten {contact} i registeret endret\n"
     "fra {old_email}\n"
     "til {new_email}\n"
     "{changed_by}.\n\n"
     "Denne adressen vil ikke lenger motta meldinger om kontakten.\n"
     "Hvis du ikke har bedt om endringen, må du straks kontakte registraren.\n" SIG_NB},
    {"contact-email-change.old", "et", "Kontakt {contact}: e-posti aadress on muudetud",
     "{greeting}\n\n"
     "{date} muudeti registris kontakti {contact} e-posti aadressi.\n"
     "Vana aadress: {old_email}\n"
     "Uus aadress:  {new_email}\n"
     "Muudatuse tegi {changed_by}.\n\n"
     "Sellele aadressile ei saadeta enam selle kontakti kohta teateid.\n"
     "Kui Te muudatust ei taotlenud, võtke palun kohe ühendust registrariga.\n" SIG_ET},
    {"contact-email-change.new", "en", "Contact {contact}: e-mail address changed",
     "{greeting}\n\n"
     "On {date} the e-mail address of contact {contact} in the registry was changed\n"
     "from {old_email}\n"
     "to   {new_email}\n"
     "{changed_by}.\n\n"
     "Messages about this contact go to this address now.\n"
     "If you do not know this contact, please tell the registrar.\n" SIG_EN},
    {"contact-email-change.new", "da", "Kontakt {contact}: e-mailadressen er ændret",
     "{greeting}\n\n"
     "Den {date} blev e-mailadressen for kontakten {contact} i registret ændret\n"
     "fra {old_email}\n"
     "til {new_email}\n"
     "{changed_by}.\n\n"
     "Beskeder om kontakten sendes nu til denne adresse.\n"
     "Hvis du ikke kender kontakten, bedes du give registratoren besked.\n" SIG_DA},
    {"contact-email-change.new", "nb", "Kontakt {contact}: e-postadressen er endret",
     "{greeting}\n\n"
     "Den {date} ble e-postadressen til kontakten {contact} i registeret endret\n"
     "fra {old_email}\n"
     "til {new_email}\n"
     "{changed_by}.\n\n"
     "Meldinger om kontakten sendes nå til denne adressen.\n"
     "Hvis du ikke kjenner til kontakten, ber vi deg si fra til registraren.\n" SIG_NB},
    {"contact-email-change.new", "et", "Kontakt {contact}: e-posti aadress on muudetud",
     "{greeting}\n\n"
     "{date} muudeti registris kontakti {contact} e-posti aadressi.\n"
     "Vana aadress: {old_email}\n"
     "Uus aadress:  {new_email}\n"
     "Muudatuse tegi {changed_by}.\n\n"
     "Selle kontakti teated saadetakse nüüd sellele aadressile.\n"
     "Kui Te seda kontakti ei tunne, andke palun registrarile teada.\n" SIG_ET},

    /* --- R10: change of registrant (only contact ids: neither side learns the
     * other's personal data) ------------------------------------------------------ */
    {"registrant-change.old", "en", "Domain {domain}: change of registrant",
     "{greeting}\n\n"
     "On {date} the registrant (holder) of the domain {domain} was changed\n"
     "from contact {old_registrant}\n"
     "to   contact {new_registrant}\n"
     "by its registrar {registrar}.\n\n"
     "Contact {old_registrant} is no longer the registrant of {domain}.\n"
     "If you did not agree to this, please contact the registrar at once.\n" SIG_EN},
    {"registrant-change.old", "da", "Domænet {domain}: skift af registrant",
     "{greeting}\n\n"
     "Den {date} blev registranten (indehaveren) af domænet {domain} ændret\n"
     "fra kontakt {old_registrant}\n"
     "til kontakt {new_registrant}\n"
     "af registratoren {registrar}.\n\n"
     "Kontakt {old_registrant} er ikke længere registrant for {domain}.\n"
     "Hvis du ikke har givet samtykke til dette, bedes du straks kontakte registratoren.\n" SIG_DA},
    {"registrant-change.old", "nb", "Domenet {domain}: innehaverskifte",
     "{greeting}\n\n"
     "Den {date} ble innehaveren av domenet {domain} endret\n"
     "fra kontakt {old_registrant}\n"
     "til kontakt {new_registrant}\n"
     "av registraren {registrar}.\n\n"
     "Kontakt {old_registrant} er ikke lenger innehaver av {domain}.\n"
     "Hvis du ikke har samtykket til dette, må du straks kontakte registraren.\n" SIG_NB},
    {"registrant-change.old", "et", "Domeen {domain}: registreerija vahetus",
     "{greeting}\n\n"
     "{date} vahetas registrar {registrar} domeeni {domain} registreerija (omaniku).\n"
     "Varasem registreerija: kontakt {old_registrant}\n"
     "Uus registreerija:     kontakt {new_registrant}\n\n"
     "Kontakt {old_registrant} ei ole enam domeeni {domain} registreerija.\n"
     "Kui Te selleks nõusolekut ei andnud, võtke palun kohe ühendust registrariga.\n" SIG_ET},
    {"registrant-change.new", "en", "Domain {domain}: change of registrant",
     "{greeting}\n\n"
     "On {date} the registrant (holder) of the domain {domain} was changed\n"
     "from contact {old_registrant}\n"
     "to   contact {new_registrant}\n"
     "by its registrar {registrar}.\n\n"
     "Contact {new_registrant} is now the registrant of {domain}.\n"
     "If you did not ask for this, please contact the registrar.\n" SIG_EN},
    {"registrant-change.new", "da", "Domænet {domain}: skift af registrant",
     "{greeting}\n\n"
     "Den {date} blev registranten (indehaveren) af domænet {domain} ændret\n"
     "fra kontakt {old_registrant}\n"
     "til kontakt {new_registrant}\n"
     "af registratoren {registrar}.\n\n"
     "Kontakt {new_registrant} er nu registrant for {domain}.\n"
     "Hvis du ikke har bedt om dette, bedes du kontakte registratoren.\n" SIG_DA},
    {"registrant-change.new", "nb", "Domenet {domain}: innehaverskifte",
     "{greeting}\n\n"
     "Den {date} ble innehaveren av domenet {domain} endret\n"
     "fra kontakt {old_registrant}\n"
     "til kontakt {new_registrant}\n"
     "av registraren {registrar}.\n\n"
     "Kontakt {new_registrant} er nå innehaver av {domain}.\n"
     "Hvis du ikke har bedt om dette, ber vi deg kontakte registraren.\n" SIG_NB},
    {"registrant-change.new", "et", "Domeen {domain}: registreerija vahetus",
     "{greeting}\n\n"
     "{date} vahetas registrar {registrar} domeeni {domain} registreerija (omaniku).\n"
     "Varasem registreerija: kontakt {old_registrant}\n"
     "Uus registreerija:     kontakt {new_registrant}\n\n"
     "Kontakt {new_registrant} on nüüd domeeni {domain} registreerija.\n"
     "Kui Te seda ei taotlenud, võtke palun ühendust registrariga.\n" SIG_ET},

    /* --- R10: delete request -------------------------------------------------------- */
    {"delete-request.restorable", "en", "Domain {domain}: deletion requested",
     "{greeting}\n\n"
     "On {date} registrar {registrar} asked for the domain {domain} to be deleted.\n"
     "You receive this message as its registrant (contact {contact}).\n\n"
     "The domain is out of the DNS now. The registrar can still restore it until {until};\n"
     "after that it is deleted for good and anyone can register it.\n\n"
     "If you did not ask for this, please contact the registrar at once.\n" SIG_EN},
    {"delete-request.restorable", "da", "Domænet {domain}: anmodning om sletning",
     "{greeting}\n\n"
     "Den {date} anmodede registratoren {registrar} om, at domænet {domain} slettes.\n"
     "Du modtager denne besked som domænets registrant (kontakt {contact}).\n\n"
     "Domænet er nu fjernet fra DNS. Registratoren kan stadig genoprette det indtil {until};\n"
     "derefter slettes det endeligt, og alle kan registrere det.\n\n"
     "Hvis du ikke har bedt om dette, bedes du straks kontakte registratoren.\n" SIG_DA},
    {"delete-request.restorable", "nb", "Domenet {domain}: anmodning om sletting",
     "{greeting}\n\n"
     "Den {date} ba registraren {registrar} om at domenet {domain} blir slettet.\n"
     "Du mottar denne meldingen som domenets innehaver (kontakt {contact}).\n\n"
     "Domenet er nå tatt ut av DNS. Registraren kan fortsatt gjenopprette det fram til {until};\n"
     "deretter slettes det for godt, og hvem som helst kan registrere det.\n\n"
     "Hvis du ikke har bedt om dette, må du straks kontakte registraren.\n" SIG_NB},
    {"delete-request.restorable", "et", "Domeen {domain}: kustutamise taotlus",
     "{greeting}\n\n"
     "{date} taotles registrar {registrar} domeeni {domain} kustutamist.\n"
     "Saate selle kirja domeeni registreerijana (kontakt {contact}).\n\n"
     "Domeen on nüüd DNS-ist eemaldatud. Registrar saab selle veel taastada kuni {until};\n"
     "seejärel kustutatakse domeen lõplikult ja igaüks võib selle registreerida.\n\n"
     "Kui Te seda ei taotlenud, võtke palun kohe ühendust registrariga.\n" SIG_ET},
    {"delete-request.deleted", "en", "Domain {domain}: deletion requested",
     "{greeting}\n\n"
     "On {date} registrar {registrar} asked for the domain {domain} to be deleted.\n"
     "You receive this message as its registrant (contact {contact}).\n\n"
     "The domain has been deleted; anyone can register it now.\n\n"
     "If you did not ask for this, please contact the registrar at once.\n" SIG_EN},
    {"delete-request.deleted", "da", "Domænet {domain}: anmodning om sletning",
     "{greeting}\n\n"
     "Den {date} anmodede registratoren {registrar} om, at domænet {domain} slettes.\n"
     "Du modtager denne besked som domænets registrant (kontakt {contact}).\n\n"
     "Domænet er slettet, og alle kan nu registrere det.\n\n"
     "Hvis du ikke har bedt om dette, bedes du straks kontakte registratoren.\n" SIG_DA},
    {"delete-request.deleted", "nb", "Domenet {domain}: anmodning om sletting",
     "{greeting}\n\n"
     "Den {date} ba registraren {registrar} om at domenet {domain} blir slettet.\n"
     "Du mottar denne meldingen som domenets innehaver (kontakt {contact}).\n\n"
     "Domenet er slettet, og hvem som helst kan nå registrere det.\n\n"
     "Hvis du ikke har bedt om dette, må du straks kontakte registraren.\n" SIG_NB},
    {"delete-request.deleted", "et", "Domeen {domain}: kustutamise taotlus",
     "{greeting}\n\n"
     "{date} taotles registrar {registrar} domeeni {domain} kustutamist.\n"
     "Saate selle kirja domeeni registreerijana (kontakt {contact}).\n\n"
     "Domeen on kustutatud ja igaüks võib selle nüüd registreerida.\n\n"
     "Kui Te seda ei taotlenud, võtke palun kohe ühendust registrariga.\n" SIG_ET},

    /* --- R7: confirmation requests ----------------------------------------------------- */
    {"confirm-request.registrant-change", "en",
     "Domain {domain}: please confirm the change of registrant",
     "{greeting}\n\n"
     "The registrar {registrar} asked to transfer the domain {domain}\n"
     "from you (contact {contact}) to contact {new_registrant}.\n\n"
     "Nothing happens unless you confirm. To confirm or reject, open:\n\n"
     "  {link}\n\n"
     "The link works once, until {until}. If you do nothing, the request lapses\n"
     "and the domain stays as it is.\n" SIG_EN},
    {"confirm-request.registrant-change", "da",
     "Domænet {domain}: bekræft venligst skiftet af registrant",
     "{greeting}\n\n"
     "Registratoren {registrar} har anmodet om at overdrage domænet {domain}\n"
     "fra dig (kontakt {contact}) til kontakt {new_registrant}.\n\n"
     "Intet sker, medmindre du bekræfter. Åbn dette link for at bekræfte eller afvise:\n\n"
     "  {link}\n\n"
     "Linket kan bruges én gang, indtil {until}. Gør du ingenting, bortfalder\n"
     "anmodningen, og domænet forbliver uændret.\n" SIG_DA},
    {"confirm-request.registrant-change", "nb", "Domenet {domain}: bekreft innehaverskiftet",
     "{greeting}\n\n"
     "Registraren {registrar} har bedt om å overføre domenet {domain}\n"
     "fra deg (kontakt {contact}) til kontakt {new_registrant}.\n\n"
     "Ingenting skjer uten at du bekrefter. Åpne denne lenken for å bekrefte eller avvise:\n\n"
     "  {link}\n\n"
     "Lenken kan brukes én gang, fram til {until}. Gjør du ingenting, bortfaller\n"
     "forespørselen, og domenet forblir som det er.\n" SIG_NB},
    {"confirm-request.registrant-change", "et",
     "Domeen {domain}: palun kinnitage registreerija vahetus",
     "{greeting}\n\n"
     "Registrar {registrar} on taotlenud, et domeeni {domain} registreerija vahetataks:\n"
     "Teie (kontakt {contact}) asemel kontakt {new_registrant}.\n\n"
     "Midagi ei muutu, kui Te taotlust ei kinnita. Kinnitamiseks või tagasilükkamiseks "
     "avage:\n\n"
     "  {link}\n\n"
     "Link töötab ühe korra, kuni {until}. Kui Te midagi ei tee, taotlus aegub\n"
     "ja domeen jääb samaks.\n" SIG_ET},
    {"confirm-request.delete", "en", "Domain {domain}: please confirm the deletion",
     "{greeting}\n\n"
     "The registrar {registrar} asked to delete the domain {domain},\n"
     "of which you (contact {contact}) are the registrant.\n\n"
     "Nothing happens unless you confirm. To confirm or reject, open:\n\n"
     "  {link}\n\n"
     "The link works once, until {until}. If you do nothing, the request lapses\n"
     "and the domain stays as it is.\n" SIG_EN},
    {"confirm-request.delete", "da", "Domænet {domain}: bekræft venligst sletningen",
     "{greeting}\n\n"
     "Registratoren {registrar} har anmodet om at slette domænet {domain},\n"
     "som du (kontakt {contact}) er registrant for.\n\n"
     "Intet sker, medmindre du bekræfter. Åbn dette link for at bekræfte eller afvise:\n\n"
     "  {link}\n\n"
     "Linket kan bruges én gang, indtil {until}. Gør du ingenting, bortfalder\n"
     "anmodningen, og domænet forbliver uændret.\n" SIG_DA},
    {"confirm-request.delete", "nb", "Domenet {domain}: bekreft slettingen",
     "{greeting}\n\n"
     "Registraren {registrar} har bedt om å slette domenet {domain},\n"
     "som du (kontakt {contact}) er innehaver av.\n\n"
     "Ingenting skjer uten at du bekrefter. Åpne denne lenken for å bekrefte eller avvise:\n\n"
     "  {link}\n\n"
     "Lenken kan brukes én gang, fram til {until}. Gjør du ingenting, bortfaller\n"
     "forespørselen, og domenet forblir som det er.\n" SIG_NB},
    {"confirm-request.delete", "et", "Domeen {domain}: palun kinnitage kustutamine",
     "{greeting}\n\n"
     "Registrar {registrar} on taotlenud domeeni {domain} kustutamist;\n"
     "Teie (kontakt {contact}) olete selle registreerija.\n\n"
     "Midagi ei muutu, kui Te taotlust ei kinnita. Kinnitamiseks või tagasilükkamiseks "
     "avage:\n\n"
     "  {link}\n\n"
     "Link töötab ühe korra, kuni {until}. Kui Te midagi ei tee, taotlus aegub\n"
     "ja domeen jääb samaks.\n" SIG_ET},

    /* --- R11: expired -------------------------------------------------------------- */
    {"expired.hold", "en", "Domain {domain} has expired",
     "{greeting}\n\n"
     "The domain {domain} expired on {date} and has not been renewed.\n"
     "You receive this message as its {roles}.\n\n"
     "Unless it is renewed, the domain goes out of the DNS on {hold_date} and is deleted on "
     "{delete_date}.\n"
     "To keep it, ask its registrar {registrar} to renew it.\n" SIG_EN},
    {"expired.hold", "da", "Domænet {domain} er udløbet",
     "{greeting}\n\n"
     "Domænet {domain} udløb den {date} og er ikke blevet fornyet.\n"
     "Du modtager denne besked som domænets {roles}.\n\n"
     "Hvis det ikke fornyes, fjernes domænet fra DNS den {hold_date} og slettes den "
     "{delete_date}.\n"
     "Hvis du vil beholde det, skal du bede registratoren {registrar} om at forny det.\n" SIG_DA},
    {"expired.hold", "nb", "Domenet {domain} er utløpt",
     "{greeting}\n\n"
     "Domenet {domain} utløp den {date} og er ikke fornyet.\n"
     "Du mottar denne meldingen som domenets {roles}.\n\n"
     "Hvis det ikke fornyes, tas domenet ut av DNS den {hold_date} og slettes den "
     "{delete_date}.\n"
     "Hvis du vil beholde det, må du be registraren {registrar} om å fornye det.\n" SIG_NB},
    {"expired.hold", "et", "Domeeni {domain} registreering on aegunud",
     "{greeting}\n\n"
     "Domeeni {domain} registreering aegus {date} ja seda ei ole pikendatud.\n"
     "Saate selle kirja, sest olete domeeni {roles}.\n\n"
     "Kui registreeringut ei pikendata, eemaldatakse domeen DNS-ist {hold_date} ja "
     "kustutatakse {delete_date}.\n"
     "Domeeni säilitamiseks paluge registraril {registrar} registreeringut pikendada.\n" SIG_ET},
    {"expired.delete", "en", "Domain {domain} has expired",
     "{greeting}\n\n"
     "The domain {domain} expired on {date} and has not been renewed.\n"
     "You receive this message as its {roles}.\n\n"
     "Unless it is renewed, the domain is deleted on {delete_date}.\n"
     "To keep it, ask its registrar {registrar} to renew it.\n" SIG_EN},
    {"expired.delete", "da", "Domænet {domain} er udløbet",
     "{greeting}\n\n"
     "Domænet {domain} udløb den {date} og er ikke blevet fornyet.\n"
     "Du modtager denne besked som domænets {roles}.\n\n"
     "Hvis det ikke fornyes, slettes domænet den {delete_date}.\n"
     "Hvis du vil beholde det, skal du bede registratoren {registrar} om at forny det.\n" SIG_DA},
    {"expired.delete", "nb", "Domenet {domain} er utløpt",
     "{greeting}\n\n"
     "Domenet {domain} utløp den {date} og er ikke fornyet.\n"
     "Du mottar denne meldingen som domenets {roles}.\n\n"
     "Hvis det ikke fornyes, slettes domenet den {delete_date}.\n"
     "Hvis du vil beholde det, må du be registraren {registrar} om å fornye det.\n" SIG_NB},
    {"expired.delete", "et", "Domeeni {domain} registreering on aegunud",
     "{greeting}\n\n"
     "Domeeni {domain} registreering aegus {date} ja seda ei ole pikendatud.\n"
     "Saate selle kirja, sest olete domeeni {roles}.\n\n"
     "Kui registreeringut ei pikendata, kustutatakse domeen {delete_date}.\n"
     "Domeeni säilitamiseks paluge registraril {registrar} registreeringut pikendada.\n" SIG_ET},

    /* --- R23: low prepaid balance, to the registrar ([mail] language) ------------- */
    {"low-balance", "en", "Low prepaid balance",
     "Dear registrar {registrar},\n\n"
     "Your prepaid balance is {balance}, below your warning level {threshold}; please top up "
     "your account.\n\n"
     "-- the registry\n"},
    {"low-balance", "da", "Lav forudbetalt saldo",
     "Kære registrator {registrar}\n\n"
     "Jeres forudbetalte saldo er {balance}, hvilket er under jeres varslingsgrænse på "
     "{threshold}. Indbetal venligst på kontoen.\n" SIG_DA},
    {"low-balance", "nb", "Lav forhåndsbetalt saldo",
     "Til registrar {registrar}\n\n"
     "Den forhåndsbetalte saldoen deres er {balance}, som er under varslingsgrensen på "
     "{threshold}. Vennligst fyll på kontoen.\n" SIG_NB},
    {"low-balance", "et", "Ettemaksukonto saldo on madal",
     "Lugupeetud registrar {registrar}!\n\n"
     "Teie ettemaksukonto saldo on {balance}, mis on alla hoiatuspiiri {threshold}. Palun "
     "täiendage kontot.\n" SIG_ET},

    /* --- R16: one-time password for a transfer --------------------------------------- */
    {"otp.email", "en", "Domain {domain}: one-time password for the transfer",
     "Hello,\n\n"
     "A registrar has asked for the domain {domain} to be transferred to it, and the\n"
     "transfer needs your consent as the domain's registrant. Your one-time password is:\n\n"
     "    {code}\n\n"
     "Give it only to the registrar you want to move the domain to. It can be used once\n"
     "and is valid until {expiry}. If you did not ask for a transfer, ignore this message;\n"
     "nothing changes without the password.\n" SIG_EN},
    {"otp.email", "da", "Domænet {domain}: engangskode til registratorskift",
     "Goddag\n\n"
     "En registrator har anmodet om at få domænet {domain} flyttet til sig, og flytningen\n"
     "kræver dit samtykke som domænets registrant. Din engangskode er:\n\n"
     "    {code}\n\n"
     "Giv den kun til den registrator, du ønsker at flytte domænet til. Koden kan bruges\n"
     "én gang og er gyldig til {expiry}. Hvis du ikke har bedt om en flytning, kan du se\n"
     "bort fra denne besked; intet ændres uden koden.\n" SIG_DA},
    {"otp.email", "nb", "Domenet {domain}: engangskode for registrarbytte",
     "Hei,\n\n"
     "En registrar har bedt om å få domenet {domain} overført til seg, og overføringen\n"
     "krever ditt samtykke som domenets innehaver. Engangskoden din er:\n\n"
     "    {code}\n\n"
     "Gi den bare til registraren du ønsker å flytte domenet til. Koden kan brukes én\n"
     "gang og er gyldig til {expiry}. Hvis du ikke har bedt om en overføring, kan du se\n"
     "bort fra denne meldingen; ingenting endres uten koden.\n" SIG_NB},
    {"otp.email", "et", "Domeen {domain}: ühekordne parool registrari vahetuseks",
     "Tere!\n\n"
     "Registrar on taotlenud domeeni {domain} üleviimist enda juurde ning selleks on vaja\n"
     "Teie kui domeeni registreerija nõusolekut. Teie ühekordne parool on:\n\n"
     "    {code}\n\n"
     "Andke see ainult registrarile, kelle juurde soovite domeeni üle viia. Parool kehtib\n"
     "ühe korra ja kuni {expiry}. Kui Te üleviimist ei taotlenud, jätke see kiri\n"
     "tähelepanuta; ilma paroolita midagi ei muutu.\n" SIG_ET},
    {"otp.sms", "en", NULL,
     "{domain}: one-time password {code} to transfer the domain. Valid until {expiry}. "
     "Give it only to the registrar you chose."},
    {"otp.sms", "da", NULL,
     "{domain}: engangskode {code} til flytning af domænet. Gyldig til {expiry}. "
     "Giv den kun til den registrator, du har valgt."},
    {"otp.sms", "nb", NULL,
     "{domain}: engangskode {code} for flytting av domenet. Gyldig til {expiry}. "
     "Gi den bare til registraren du har valgt."},
    {"otp.sms", "et", NULL,
     "{domain}: ühekordne parool {code} domeeni üleviimiseks. Kehtib kuni {expiry}. "
     "Andke see ainult valitud registrarile."},

    /* --- regctl outbox test ---------------------------------------------------------- */
    {"outbox-test.email", "en", "Test message from the registry",
     "This is a test message, queued with regctl outbox test at {time}.\n"
     "If you can read it, the registry's e-mail delivery works.\n" SIG_EN},
    {"outbox-test.email", "da", "Testbesked fra registreringsenheden",
     "Dette er en testbesked, sat i kø med regctl outbox test {time}.\n"
     "Hvis du kan læse den, virker registreringsenhedens afsendelse af e-mail.\n" SIG_DA},
    {"outbox-test.email", "nb", "Testmelding fra registerenheten",
     "Dette er en testmelding, lagt i kø med regctl outbox test {time}.\n"
     "Hvis du kan lese den, fungerer registerenhetens utsending av e-post.\n" SIG_NB},
    {"outbox-test.email", "et", "Registripidaja testkiri",
     "See on testkiri, mis pandi järjekorda käsuga regctl outbox test {time}.\n"
     "Kui saate seda lugeda, toimib registripidaja e-posti saatmine.\n" SIG_ET},
    {"outbox-test.sms", "en", NULL, "Test message from the registry, queued {time}: SMS delivery works."},
    {"outbox-test.sms", "da", NULL,
     "Testbesked fra registreringsenheden, sat i kø {time}: afsendelse af SMS virker."},
    {"outbox-test.sms", "nb", NULL,
     "Testmelding fra registerenheten, lagt i kø {time}: utsending av SMS fungerer."},
    {"outbox-test.sms", "et", NULL,
     "Registripidaja testsõnum, järjekorda pandud {time}: SMS-ide saatmine toimib."},
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

static const struct template *find(const char *id, const char *lang)
{
    const struct template *english = NULL;
    for (size_t i = 0; i < template_count; i++) {
        if (strcmp(templates[i].id, id))
            continue;
        if (!strcmp(templates[i].lang, lang))
            return &templates[i];
        if (!strcmp(templates[i].lang, "en"))
            english = &templates[i];
    }
    return english;
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

static reg_err expand(const struct template *t, const char *text, const struct template_var *vars,
                      size_t nvars, char **out, reg_status *st)
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
        if (!v) {
            sb_free(&sb);
            return reg_fail(st, REG_ERR_INTERNAL, "template %s (%s): no value for {%.*s}", t->id,
                            t->lang, (int)n, p + 1);
        }
        sb_puts(&sb, v);
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

reg_err template_render(const char *id, const char *lang, const struct template_var *vars,
                        size_t nvars, struct rendered *out, reg_status *st)
{
    memset(out, 0, sizeof *out);
    const struct template *t = find(id, lang ? lang : "en");
    if (!t)
        return reg_fail(st, REG_ERR_INTERNAL, "no template %s", id);
    if (t->subject && expand(t, t->subject, vars, nvars, &out->subject, st))
        return st->code;
    return expand(t, t->body, vars, nvars, &out->body, st);
}

void rendered_free(struct rendered *r)
{
    free(r->subject);
    free(r->body);
    r->subject = r->body = NULL;
}
