/* Every sentence of the registrant self-service site, in one place: one
 * row per text, a column per language (English, Danish, Norwegian Bokmål,
 * Estonian: the languages of the registry's mails), so no text can lack a
 * language. A page asks ss_text(lang, S_…). */
#ifndef REG_WEB_SELFSERVICE_TEXT_H
#define REG_WEB_SELFSERVICE_TEXT_H

#include <stddef.h>

/* X(id, English, Danish, Norwegian, Estonian) */
#define SS_TEXTS(X)                                                                                \
    X(S_APP, "Registrant self-service", "Selvbetjening for registranter",                         \
      "Selvbetjening for innehavere", "Registreerija iseteenindus")                               \
    X(S_LANG_NAME, "English", "Dansk", "Norsk", "Eesti")                                           \
    X(S_LANGUAGE, "Language", "Sprog", "Språk", "Keel")                                            \
    X(S_LOGIN_TITLE, "Log in", "Log ind", "Logg inn", "Logi sisse")                                \
    X(S_LOGIN_INTRO, "Log in with your contact handle or e-mail address and the password you "    \
      "chose through the set-up link.", "Log ind med dit kontakt-id eller din e-mailadresse og "  \
      "den adgangskode, du valgte via opsætningslinket.", "Logg inn med kontakt-ID-en eller "     \
      "e-postadressen din og passordet du valgte via oppsettlenken.", "Logige sisse oma "         \
      "kontaktitunnuse või e-posti aadressi ja seadistuslingi kaudu valitud parooliga.")           \
    X(S_LOGIN_NAME, "Contact handle or e-mail address", "Kontakt-id eller e-mailadresse",        \
      "Kontakt-ID eller e-postadresse", "Kontaktitunnus või e-posti aadress")                     \
    X(S_PASSWORD, "Password", "Adgangskode", "Passord", "Parool")                                  \
    X(S_PASSWORD_AGAIN, "The same password again", "Samme adgangskode igen",                      \
      "Samme passord igjen", "Sama parool uuesti")                                                 \
    X(S_LOGIN_BUTTON, "Log in", "Log ind", "Logg inn", "Logi sisse")                               \
    X(S_FORGOT, "Forgot your password?", "Glemt din adgangskode?", "Glemt passordet?",            \
      "Unustasite parooli?")                                                                       \
    X(S_EID_TITLE, "Log in with eID", "Log ind med eID", "Logg inn med eID",                      \
      "Logi sisse e-ID-ga")                                                                        \
    X(S_EID_INTRO, "Your eID provider confirms who you are; the registry compares that "          \
      "identity with the identity your contact holds.", "Din eID-udbyder bekræfter, hvem du "     \
      "er; registret sammenligner denne identitet med den identitet, din kontakt har.",           \
      "eID-leverandøren bekrefter hvem du er; registeret sammenligner denne identiteten med "      \
      "identiteten kontakten din har.", "Teie e-ID pakkuja kinnitab, kes Te olete; register "      \
      "võrdleb seda isikut Teie kontakti isikuandmetega.")                                        \
    X(S_EID_EVIDENCE, "Identity asserted by the eID (test provider: country:ident, e.g. "         \
      "DK:0102031234)", "Identitet bekræftet af eID (testudbyder: land:ident, fx "                \
      "DK:0102031234)", "Identitet bekreftet av eID (testleverandør: land:ident, f.eks. "          \
      "DK:0102031234)", "E-ID kinnitatud isik (testpakkuja: riik:isikukood, nt "                  \
      "EE:38001010000)")                                                                           \
    X(S_EID_BUTTON, "Log in with eID", "Log ind med eID", "Logg inn med eID",                     \
      "Logi sisse e-ID-ga")                                                                        \
    X(S_SETUP_TITLE, "Choose your password", "Vælg din adgangskode", "Velg passordet ditt",       \
      "Valige oma parool")                                                                         \
    X(S_SETUP_INTRO, "Choose a password of 10 to 128 characters for the contact below. The "      \
      "link works once.", "Vælg en adgangskode på 10 til 128 tegn til kontakten nedenfor. "       \
      "Linket virker én gang.", "Velg et passord på 10 til 128 tegn for kontakten nedenfor. "     \
      "Lenken virker én gang.", "Valige allolevale kontaktile 10 kuni 128 märgi pikkune "         \
      "parool. Link kehtib ühe korra.")                                                            \
    X(S_SETUP_BUTTON, "Save the password", "Gem adgangskoden", "Lagre passordet",                  \
      "Salvesta parool")                                                                           \
    X(S_SETUP_DONE, "Your password is saved. Log in with it now.", "Din adgangskode er gemt. "    \
      "Log ind med den nu.", "Passordet ditt er lagret. Logg inn med det nå.",                     \
      "Teie parool on salvestatud. Logige nüüd sellega sisse.")                                    \
    X(S_SETUP_MISMATCH, "The two passwords differ.", "De to adgangskoder er forskellige.",        \
      "De to passordene er forskjellige.", "Kaks parooli erinevad.")                               \
    X(S_LINK_USED_TITLE, "This link has been used", "Dette link er allerede brugt",               \
      "Denne lenken er allerede brukt", "Seda linki on juba kasutatud")                           \
    X(S_LINK_USED_TEXT, "A password was chosen with this link already, and it works only "        \
      "once. Log in with that password, or ask for a new link.", "Der er allerede valgt en "      \
      "adgangskode med dette link, og det virker kun én gang. Log ind med den adgangskode, "       \
      "eller bed om et nyt link.", "Et passord er allerede valgt med denne lenken, og den "        \
      "virker bare én gang. Logg inn med det passordet, eller be om en ny lenke.", "Selle "       \
      "lingiga on parool juba valitud ja link kehtib ainult ühe korra. Logige selle parooliga "   \
      "sisse või küsige uut linki.")                                                               \
    X(S_LINK_EXPIRED_TITLE, "This link has expired", "Dette link er udløbet",                     \
      "Denne lenken er utløpt", "See link on aegunud")                                             \
    X(S_LINK_EXPIRED_TEXT, "The link was valid for a limited time only. Ask for a new one "       \
      "(\"Forgot your password?\"), or ask your registrar.", "Linket var kun gyldigt i en "       \
      "begrænset tid. Bed om et nyt (\"Glemt din adgangskode?\"), eller spørg din registrator.",  \
      "Lenken var bare gyldig en begrenset tid. Be om en ny (\"Glemt passordet?\"), eller spør "   \
      "registraren din.", "Link kehtis piiratud aja. Küsige uus (\"Unustasite parooli?\") või "   \
      "pöörduge oma registripidaja poole.")                                                        \
    X(S_LINK_UNKNOWN_TITLE, "Link not valid", "Linket er ikke gyldigt", "Lenken er ikke gyldig",  \
      "Link ei kehti")                                                                             \
    X(S_LINK_UNKNOWN_TEXT, "This link is not known, or a newer one replaced it. Check that "      \
      "you opened the whole link from the e-mail.", "Dette link kendes ikke, eller et nyere har " \
      "erstattet det. Kontrollér, at du åbnede hele linket fra e-mailen.", "Denne lenken er "     \
      "ukjent, eller en nyere har erstattet den. Kontroller at du åpnet hele lenken fra "          \
      "e-posten.", "Seda linki ei tunta või on see asendatud uuemaga. Kontrollige, et avasite "   \
      "kogu e-kirjas oleva lingi.")                                                                \
    X(S_RESET_TITLE, "A new password", "En ny adgangskode", "Et nytt passord", "Uus parool")       \
    X(S_RESET_INTRO, "Give your contact handle or e-mail address. If it may log in here, a "      \
      "link to choose a new password goes to the contact's e-mail address.", "Angiv dit "         \
      "kontakt-id eller din e-mailadresse. Hvis det kan logge ind her, sendes et link til at "     \
      "vælge en ny adgangskode til kontaktens e-mailadresse.", "Oppgi kontakt-ID-en eller "        \
      "e-postadressen din. Hvis den kan logge inn her, sendes en lenke for å velge et nytt "       \
      "passord til kontaktens e-postadresse.", "Sisestage oma kontaktitunnus või e-posti "        \
      "aadress. Kui sellega saab siin sisse logida, saadetakse kontakti e-posti aadressile link " \
      "uue parooli valimiseks.")                                                                   \
    X(S_RESET_BUTTON, "Send the link", "Send linket", "Send lenken", "Saada link")                 \
    X(S_RESET_SENT, "If the login may be used here, a link is on its way to its e-mail "          \
      "address.", "Hvis login kan bruges her, er et link på vej til dets e-mailadresse.",         \
      "Hvis innloggingen kan brukes her, er en lenke på vei til e-postadressen.", "Kui selle "    \
      "kasutajaga saab siin sisse logida, on link teel selle e-posti aadressile.")                 \
    X(S_LOGOUT, "Log out", "Log ud", "Logg ut", "Logi välja")                                      \
    X(S_LOGGED_IN_AS, "Logged in as", "Logget ind som", "Logget inn som", "Sisse logitud:")        \
    X(S_HOME, "Start", "Start", "Start", "Avaleht")                                                \
    X(S_MY_DOMAINS, "My domains", "Mine domæner", "Mine domener", "Minu domeenid")                 \
    X(S_WAITING, "Waiting for you", "Venter på dig", "Venter på deg", "Ootab Teid")                \
    X(S_NOTHING_WAITING, "Nothing is waiting for your answer.", "Intet venter på dit svar.",       \
      "Ingenting venter på svaret ditt.", "Miski ei oota Teie vastust.")                           \
    X(S_FILTER, "Filter by name", "Filtrér efter navn", "Filtrer etter navn",                      \
      "Filtreeri nime järgi")                                                                      \
    X(S_FILTER_BUTTON, "Filter", "Filtrér", "Filtrer", "Filtreeri")                                \
    X(S_NO_DOMAINS, "No domains.", "Ingen domæner.", "Ingen domener.", "Domeene pole.")            \
    X(S_DOMAIN, "Domain", "Domæne", "Domene", "Domeen")                                            \
    X(S_EXPIRES, "Expires", "Udløber", "Utløper", "Aegub")                                         \
    X(S_REGISTRAR, "Registrar", "Registrator", "Registrar", "Registripidaja")                      \
    X(S_STATUS, "Status", "Status", "Status", "Olek")                                              \
    X(S_MANAGEMENT, "Managed by", "Administreres af", "Administreres av", "Haldab")                \
    X(S_MGMT_REGISTRAR, "your registrar: it sends you notices and invoices", "din registrator: "  \
      "den sender dig meddelelser og fakturaer", "registraren din: den sender deg meldinger og "   \
      "fakturaer", "Teie registripidaja: tema saadab Teile teated ja arved")                        \
    X(S_MGMT_REGISTRANT, "you: the registry sends you notices and invoices itself", "dig: "       \
      "registret sender selv meddelelser og fakturaer til dig", "deg: registeret sender selv "     \
      "meldinger og fakturaer til deg", "Teie: register saadab teated ja arved otse Teile")        \
    X(S_NAMESERVERS, "Name servers", "Navneservere", "Navnetjenere", "Nimeserverid")               \
    X(S_NONE, "none", "ingen", "ingen", "puudub")                                                  \
    X(S_DNSSEC, "DNSSEC", "DNSSEC", "DNSSEC", "DNSSEC")                                            \
    X(S_DNSSEC_ON, "signed; DS records:", "signeret; DS-poster:", "signert; DS-poster:",           \
      "allkirjastatud; DS-kirjeid:")                                                               \
    X(S_DNSSEC_OFF, "not signed", "ikke signeret", "ikke signert", "allkirjastamata")              \
    X(S_CONTACTS, "Contacts", "Kontakter", "Kontakter", "Kontaktid")                               \
    X(S_REGISTRANT, "Registrant", "Registrant", "Innehaver", "Registreerija")                      \
    X(S_ROLE_ADMIN, "Administrative", "Administrativ", "Administrativ", "Halduskontakt")           \
    X(S_ROLE_TECH, "Technical", "Teknisk", "Teknisk", "Tehniline kontakt")                         \
    X(S_ROLE_BILLING, "Billing", "Betaling", "Fakturering", "Arveldus")                            \
    X(S_PENDING_CHANGE, "Change of registrant to", "Skift af registrant til",                   \
      "Bytte av innehaver til", "Registreerija vahetus:")                                         \
    X(S_PENDING_DELETE, "Deletion of the domain", "Sletning af domænet", "Sletting av domenet",   \
      "Domeeni kustutamine")                                                                       \
    X(S_PENDING_NOTE, "Your registrar asked for these changes. Nothing changes unless you "       \
      "confirm; if you do not answer in time, the request lapses.", "Din registrator har bedt "   \
      "om disse ændringer. Intet ændres, medmindre du bekræfter; svarer du ikke i tide, "         \
      "bortfalder anmodningen.", "Registraren din har bedt om disse endringene. Ingenting endres " \
      "med mindre du bekrefter; svarer du ikke i tide, bortfaller forespørselen.", "Teie "         \
      "registripidaja taotles neid muudatusi. Midagi ei muutu, kui Te ei kinnita; kui Te ei "     \
      "vasta õigeks ajaks, taotlus aegub.")                                                        \
    X(S_ANSWER_BY, "Answer by", "Svar senest", "Svar innen", "Vastake hiljemalt")                  \
    X(S_CONFIRM, "Confirm", "Bekræft", "Bekreft", "Kinnita")                                       \
    X(S_REJECT, "Reject", "Afvis", "Avvis", "Lükka tagasi")                                        \
    X(S_DONE_CONFIRMED, "Confirmed and carried out. Your registrar has been told.",                \
      "Bekræftet og gennemført. Din registrator har fået besked.", "Bekreftet og utført. "         \
      "Registraren din har fått beskjed.", "Kinnitatud ja tehtud. Teie registripidajat on "       \
      "teavitatud.")                                                                               \
    X(S_DONE_REJECTED, "Rejected: nothing was changed. Your registrar has been told.",             \
      "Afvist: intet blev ændret. Din registrator har fået besked.", "Avvist: ingenting ble "      \
      "endret. Registraren din har fått beskjed.", "Tagasi lükatud: midagi ei muudetud. Teie "    \
      "registripidajat on teavitatud.")                                                            \
    X(S_DONE_FAILED, "It could not be carried out; nothing was changed:", "Det kunne ikke "       \
      "gennemføres; intet blev ændret:", "Det kunne ikke utføres; ingenting ble endret:",         \
      "Seda ei saanud teha; midagi ei muudetud:")                                                  \
    X(S_NOT_PENDING, "This request was answered already or has lapsed.", "Denne anmodning er "    \
      "allerede besvaret eller bortfaldet.", "Denne forespørselen er allerede besvart eller "      \
      "bortfalt.", "Sellele taotlusele on juba vastatud või see on aegunud.")                      \
    X(S_INVOICES, "Invoices", "Fakturaer", "Fakturaer", "Arved")                                   \
    X(S_INVOICES_INTRO, "The registry's invoices to you for the renewals of your "                \
      "registrant-managed domains. Pay by the due date and quote the invoice number.",              \
      "Registrets fakturaer til dig for fornyelser af dine domæner, som du selv administrerer. "   \
      "Betal senest på forfaldsdatoen, og angiv fakturanummeret.", "Registerets fakturaer til "    \
      "deg for fornyelser av domenene du selv administrerer. Betal innen forfallsdatoen, og oppgi " \
      "fakturanummeret.", "Registri arved Teile Teie enda hallatavate domeenide pikendamise eest. "  \
      "Tasuge maksetähtajaks ja märkige arve number.")                                             \
    X(S_INVOICES_PAYMENT, "An invoice is open until its due date and overdue after it; it "        \
      "shows as paid once the registry has received your payment, which can take a few working "   \
      "days.", "En faktura er åben indtil forfaldsdatoen og forfalden derefter; den vises som "     \
      "betalt, når registret har modtaget din betaling, hvilket kan tage nogle arbejdsdage.",       \
      "En faktura er åpen til forfallsdatoen og forfalt etter den; den vises som betalt når "      \
      "registeret har mottatt betalingen din, noe som kan ta noen virkedager.", "Arve on avatud "  \
      "maksetähtajani ja pärast seda tähtaja ületanud; see kuvatakse tasutuna, kui register on "   \
      "Teie makse kätte saanud, mis võib võtta mõne tööpäeva.")                                    \
    X(S_NO_INVOICES, "The registry has not invoiced you.", "Registret har ikke sendt dig nogen "  \
      "faktura.", "Registeret har ikke sendt deg noen faktura.", "Register ei ole Teile arveid "   \
      "esitanud.")                                                                                 \
    X(S_INVOICE, "Invoice", "Faktura", "Faktura", "Arve")                                          \
    X(S_ISSUED, "Issued", "Udstedt", "Utstedt", "Väljastatud")                                     \
    X(S_DUE, "Due", "Forfald", "Forfall", "Maksetähtaeg")                                          \
    X(S_AMOUNT, "Amount", "Beløb", "Beløp", "Summa")                                               \
    X(S_INVOICE_STATE, "State", "Status", "Status", "Olek")                                        \
    X(S_INVOICE_OPEN, "open", "åben", "åpen", "avatud")                                            \
    X(S_INVOICE_OVERDUE, "overdue", "forfalden", "forfalt", "tähtaeg ületatud")                    \
    X(S_INVOICE_PAID, "paid", "betalt", "betalt", "tasutud")                                       \
    X(S_BILLED_TO, "Billed to", "Faktureret til", "Fakturert til", "Arve saaja")                  \
    X(S_YEARS, "year(s)", "år", "år", "aasta(t)")                                                  \
    X(S_DOWNLOAD_HTML, "Download (HTML, printable)", "Hent (HTML, til udskrift)",                 \
      "Last ned (HTML, for utskrift)", "Laadi alla (HTML, prinditav)")                            \
    X(S_DOWNLOAD_CSV, "Download (CSV)", "Hent (CSV)", "Last ned (CSV)", "Laadi alla (CSV)")        \
    X(S_INVOICE_NOT_FOUND, "There is no invoice of that number for you.", "Der er ingen faktura " \
      "med det nummer til dig.", "Det finnes ingen faktura med det nummeret til deg.", "Teile "    \
      "pole sellise numbriga arvet.")                                                              \
    X(S_RENEWAL, "Renewal", "Fornyelse", "Fornyelse", "Pikendamine")                               \
    X(S_RENEWAL_AUTO, "The registry renews the domain for a year when it expires and invoices "   \
      "you; next invoice:", "Registret fornyer domænet for et år, når det udløber, og fakturerer " \
      "dig; næste faktura:", "Registeret fornyer domenet for ett år når det utløper, og "          \
      "fakturerer deg; neste faktura:", "Register pikendab domeeni aegumisel aastaks ja esitab "   \
      "Teile arve; järgmine arve:")                                                                \
    X(S_RENEWAL_MANUAL, "Not renewed automatically: ask your registrar to renew it before it "    \
      "expires; the registry invoices the renewal to you.", "Fornyes ikke automatisk: bed din "    \
      "registrator forny domænet, før det udløber; registret fakturerer fornyelsen til dig.",      \
      "Fornyes ikke automatisk: be registraren din fornye domenet før det utløper; registeret "     \
      "fakturerer fornyelsen til deg.", "Automaatselt ei pikendata: paluge registripidajal "       \
      "domeeni enne aegumist pikendada; register esitab pikendamise arve Teile.")                 \
    X(S_TERMS_TITLE, "The registry's terms", "Registrets vilkår", "Registerets vilkår",           \
      "Registri tingimused")                                                                       \
    X(S_TERMS_INTRO, "When a domain is registered, your registrar records that you accepted the " \
      "registry's terms: which version and when. Each domain's page shows what was recorded.",     \
      "Når et domæne registreres, registrerer din registrator, at du har accepteret registrets "    \
      "vilkår: hvilken version og hvornår. Hvert domænes side viser, hvad der er registreret.",    \
      "Når et domene registreres, registrerer registraren din at du har godtatt registerets "       \
      "vilkår: hvilken versjon og når. Hvert domenes side viser hva som er registrert.",           \
      "Domeeni registreerimisel salvestab registripidaja, et nõustusite registri tingimustega: "   \
      "millise versiooniga ja millal. Iga domeeni lehel on näha, mis on salvestatud.")            \
    X(S_TERMS_CURRENT, "Current version", "Gældende version", "Gjeldende versjon",                 \
      "Kehtiv versioon")                                                                           \
    X(S_TERMS_ALSO, "Earlier versions still accepted", "Tidligere versioner, der stadig "         \
      "accepteres", "Tidligere versjoner som fortsatt godtas", "Varasemad versioonid, mida veel "  \
      "aktsepteeritakse")                                                                          \
    X(S_TERMS_READ, "Read the terms", "Læs vilkårene", "Les vilkårene", "Loe tingimusi")           \
    X(S_TERMS_NO_TEXT, "The registry has not published the text here; its support can send it " \
      "to you.", "Registret har ikke offentliggjort teksten her; registrets support kan sende "    \
      "den til dig.", "Registeret har ikke publisert teksten her; registerets brukerstøtte kan "    \
      "sende den til deg.", "Register ei ole teksti siin avaldanud; registri kasutajatugi saab "   \
      "selle Teile saata.")                                                                        \
    X(S_TERMS_ACCEPTED, "Terms accepted", "Accepterede vilkår", "Godtatte vilkår",                 \
      "Nõustutud tingimused")                                                                      \
    X(S_TERMS_VERSION, "version", "version", "versjon", "versioon")                                \
    X(S_TERMS_EARLIER, "(an earlier version than the current one)", "(en tidligere version end "  \
      "den gældende)", "(en tidligere versjon enn den gjeldende)", "(kehtivast varasem "          \
      "versioon)")                                                                                 \
    X(S_TERMS_NONE, "not recorded: the domain was registered before the registry recorded it",    \
      "ikke registreret: domænet blev registreret, før registret registrerede det", "ikke "        \
      "registrert: domenet ble registrert før registeret registrerte det", "salvestamata: domeen " \
      "registreeriti enne, kui register seda salvestama hakkas")                                  \
    X(S_OPEN, "Open", "Åbn", "Åpne", "Ava")                                                        \
    X(S_NOT_FOUND_TITLE, "Not found", "Ikke fundet", "Ikke funnet", "Ei leitud")                   \
    X(S_NOT_FOUND_TEXT, "You hold no domain of that name.", "Du har intet domæne med det navn.",   \
      "Du har ikke noe domene med det navnet.", "Teil pole sellenimelist domeeni.")                \
    X(S_CSRF_TITLE, "Please try again", "Prøv igen", "Prøv igjen", "Proovige uuesti")             \
    X(S_CSRF_TEXT, "The form was out of date or sent from elsewhere, so nothing was done. "       \
      "Reload the page and try again.", "Formularen var forældet eller sendt fra et andet sted, " \
      "så intet blev gjort. Genindlæs siden, og prøv igen.", "Skjemaet var utdatert eller sendt " \
      "fra et annet sted, så ingenting ble gjort. Last inn siden på nytt og prøv igjen.",          \
      "Vorm oli aegunud või saadetud mujalt, seega midagi ei tehtud. Laadige leht uuesti ja "     \
      "proovige uuesti.")                                                                          \
    X(S_TOO_MANY_TITLE, "Too many attempts", "For mange forsøg", "For mange forsøk",             \
      "Liiga palju katseid")                                                                       \
    X(S_TOO_MANY_TEXT, "There were too many attempts from your address. Nothing was done. Wait "  \
      "a minute, then try again.", "Der var for mange forsøg fra din adresse. Intet blev gjort. " \
      "Vent et minut, og prøv så igen.", "Det var for mange forsøk fra adressen din. Ingenting "   \
      "ble gjort. Vent et minutt, og prøv igjen.", "Teie aadressilt tehti liiga palju katseid. "    \
      "Midagi ei tehtud. Oodake üks minut ja proovige siis uuesti.")                               \
    X(S_UNAVAILABLE, "The registry could not handle the request just now. Nothing was changed. " \
      "Please try again in a few minutes.", "Registret kunne ikke behandle anmodningen lige nu. " \
      "Intet blev ændret. Prøv igen om nogle minutter.", "Registeret kunne ikke behandle "         \
      "forespørselen akkurat nå. Ingenting ble endret. Prøv igjen om noen minutter.", "Register " \
      "ei saanud päringut praegu töödelda. Midagi ei muudetud. Proovige mõne minuti pärast "      \
      "uuesti.")                                                                                   \
    X(S_MY_DATA, "My data", "Mine data", "Mine data", "Minu andmed")                            \
    X(S_AC_TITLE, "Auth code for a move to another registrar", "Autorisationskode til"          \
      " flytning til en anden registrator", "Autorisasjonskode for flytting til en annen"       \
      " registrar", "Autoriseerimiskood teise registripidaja juurde kolimiseks")                \
    X(S_AC_INTRO, "To move the domain to another registrar you need its auth code. Your"        \
      " registrar must give it to you within 5 working days of your request.", "For at flytte"  \
      " domænet til en anden registrator skal du bruge dets autorisationskode. Din"             \
      " registrator skal give dig den senest 5 arbejdsdage efter din anmodning.", "For å"       \
      " flytte domenet til en annen registrar trenger du autorisasjonskoden. Registraren din"   \
      " må gi deg den innen 5 virkedager etter forespørselen.", "Domeeni teise registripidaja"  \
      " juurde viimiseks on vaja selle autoriseerimiskoodi. Teie registripidaja peab selle"     \
      " andma 5 tööpäeva jooksul pärast Teie taotlust.")                                        \
    X(S_AC_ASK, "Ask my registrar for the auth code", "Bed min registrator om"                  \
      " autorisationskoden", "Be registraren min om autorisasjonskoden", "Küsi"                 \
      " registripidajalt autoriseerimiskoodi")                                                  \
    X(S_AC_ASKED, "Your registrar has been asked for the auth code.", "Din registrator er"      \
      " blevet bedt om autorisationskoden.", "Registraren din er bedt om autorisasjonskoden.",  \
      "Teie registripidajalt on autoriseerimiskoodi küsitud.")                                  \
    X(S_AC_ASKED_ON, "Asked on", "Anmodet den", "Forespurt", "Küsitud")                         \
    X(S_AC_DEADLINE, "Your registrar's deadline", "Din registrators frist", "Registrarens"      \
      " frist", "Registripidaja tähtaeg")                                                       \
    X(S_AC_STATE, "State", "Status", "Status", "Olek")                                          \
    X(S_AC_WAITING, "waiting for your registrar", "venter på din registrator", "venter på"      \
      " registraren din", "ootab Teie registripidajat")                                         \
    X(S_AC_OVERDUE, "overdue: your registrar has let the deadline pass", "overskredet: din"     \
      " registrator har ladet fristen udløbe", "forfalt: registraren din har latt fristen gå"   \
      " ut", "tähtaeg ületatud: registripidaja ei andnud koodi õigeks ajaks")                   \
    X(S_AC_SET, "done: your registrar has set a new auth code; ask them for it", "udført: din"  \
      " registrator har sat en ny autorisationskode; bed dem om den", "utført: registraren"     \
      " din har satt en ny autorisasjonskode; be dem om den", "tehtud: registripidaja määras"   \
      " uue autoriseerimiskoodi; küsige seda neilt")                                            \
    X(S_AC_DONE, "closed by the registry", "lukket af registret", "lukket av registeret",       \
      "register sulges taotluse")                                                               \
    X(S_AC_MOVED, "closed: the domain moved to another registrar", "lukket: domænet er"         \
      " flyttet til en anden registrator", "lukket: domenet er flyttet til en annen registrar", \
      "suletud: domeen viidi teise registripidaja juurde")                                      \
    X(S_OTP_INTRO, "The registry can send a one-time password straight to you instead. Give"    \
      " it to your new registrar: it works as the auth code for a transfer by that registrar,"  \
      " once, within 14 days.", "Registret kan i stedet sende en engangskode direkte til dig."  \
      " Giv den til din nye registrator: den virker som autorisationskode ved en flytning"      \
      " foretaget af denne registrator, én gang, inden for 14 dage.", "Registeret kan i"        \
      " stedet sende et engangspassord direkte til deg. Gi det til den nye registraren din:"    \
      " det virker som autorisasjonskode ved en flytting gjort av den registraren, én gang,"    \
      " innen 14 dager.", "Register võib selle asemel saata ühekordse parooli otse Teile."      \
      " Andke see uuele registripidajale: see toimib selle registripidaja tehtud ülekande"      \
      " autoriseerimiskoodina üks kord 14 päeva jooksul.")                                      \
    X(S_OTP_REGISTRAR, "Your new registrar", "Din nye registrator", "Den nye registraren din",  \
      "Teie uus registripidaja")                                                                \
    X(S_OTP_CHANNEL, "Send the password by", "Send koden via", "Send passordet via", "Saada"    \
      " parool")                                                                                \
    X(S_OTP_EMAIL, "e-mail to the registrant", "e-mail til registranten", "e-post til"          \
      " innehaveren", "registreerija e-postile")                                                \
    X(S_OTP_SMS, "text message to the registrant's mobile", "sms til registrantens mobil",      \
      "SMS til innehaverens mobil", "SMS-ina registreerija mobiilile")                          \
    X(S_OTP_BUTTON, "Send me a one-time password", "Send mig en engangskode", "Send meg et"     \
      " engangspassord", "Saada mulle ühekordne parool")                                        \
    X(S_OTP_SENT, "The one-time password is on its way to", "Engangskoden er på vej til",       \
      "Engangspassordet er på vei til", "Ühekordne parool on teel aadressile")                  \
    X(S_MANUAL_TITLE, "If no e-mail or text message reaches you", "Hvis ingen e-mail eller"     \
      " sms når frem til dig", "Hvis ingen e-post eller SMS når fram til deg", "Kui e-kiri"     \
      " ega SMS Teieni ei jõua")                                                                \
    X(S_MANUAL_TEXT, "The registry can check who you are from documents (a copy of an"          \
      " identity document and, for an organisation, its registration certificate) and then"     \
      " put a new e-mail address on the domain's registrant; your new registrar asks for the"   \
      " one-time password after that. Send the documents to:", "Registret kan kontrollere,"     \
      " hvem du er, ud fra dokumenter (en kopi af et identitetsdokument og for en"              \
      " organisation dens registreringsbevis) og derefter sætte en ny e-mailadresse på"         \
      " domænets registrant; din nye registrator beder derefter om engangskoden. Send"          \
      " dokumenterne til:", "Registeret kan kontrollere hvem du er ut fra dokumenter (en kopi"  \
      " av et identitetsdokument og for en organisasjon registreringsbeviset) og deretter"      \
      " sette en ny e-postadresse på domenets innehaver; den nye registraren ber deretter om"   \
      " engangspassordet. Send dokumentene til:", "Register saab Teie isiku kontrollida"        \
      " dokumentide põhjal (isikut tõendava dokumendi koopia ja organisatsiooni puhul"          \
      " registreerimistõend) ning seejärel määrata domeeni registreerijale uue e-posti"         \
      " aadressi; seejärel küsib uus registripidaja ühekordset parooli. Saatke dokumendid"      \
      " aadressil:")                                                                            \
    X(S_MANUAL_FEE, "Your new registrar is charged a fee for this route:", "Din nye"            \
      " registrator betaler et gebyr for denne vej:", "Den nye registraren din betaler et"      \
      " gebyr for denne veien:", "Selle tee eest võetakse uuelt registripidajalt tasu:")        \
    X(S_ACCOUNT, "Account", "Konto", "Konto", "Konto")                                          \
    X(S_SLOT_ADMIN, "Administrative contact", "Administrativ kontakt", "Administrativ kontakt", \
      "Halduskontakt")                                                                          \
    X(S_SLOT_BILLING, "Billing contact", "Faktureringskontakt", "Fakturakontakt",               \
      "Arvelduskontakt")                                                                        \
    X(S_SLOT_EMPTY, "empty", "tom", "tom", "tühi")                                              \
    X(S_NO_ACCOUNTS, "You administer no account.", "Du administrerer ingen konto.", "Du"        \
      " administrerer ingen konto.", "Te ei halda ühtegi kontot.")                              \
    X(S_DATA_INTRO, "Change a contact here as your registrar would: the same rules apply. A"    \
      " new e-mail address is announced to both the old and the new address.", "Ret en"         \
      " kontakt her, som din registrator ville gøre det: de samme regler gælder. En ny"         \
      " e-mailadresse meddeles til både den gamle og den nye adresse.", "Endre en kontakt her"  \
      " slik registraren din ville gjort: de samme reglene gjelder. En ny e-postadresse"        \
      " varsles til både den gamle og den nye adressen.", "Muutke kontakti siin nagu Teie"      \
      " registripidaja: kehtivad samad reeglid. Uuest e-posti aadressist teatatakse nii"        \
      " vanale kui ka uuele aadressile.")                                                       \
    X(S_F_NAME, "Name", "Navn", "Navn", "Nimi")                                                 \
    X(S_F_ORG, "Organisation", "Organisation", "Organisasjon", "Organisatsioon")                \
    X(S_F_STREET, "Street", "Gade", "Gate", "Tänav")                                            \
    X(S_F_CITY, "City", "By", "Poststed", "Linn")                                               \
    X(S_F_SP, "State or province", "Region", "Fylke", "Maakond")                                \
    X(S_F_PC, "Postal code", "Postnummer", "Postnummer", "Postiindeks")                         \
    X(S_F_CC, "Country (two letters)", "Land (to bogstaver)", "Land (to bokstaver)", "Riik"     \
      " (kaks tähte)")                                                                          \
    X(S_F_VOICE, "Phone (+CC.NNNN)", "Telefon (+CC.NNNN)", "Telefon (+CC.NNNN)", "Telefon"      \
      " (+CC.NNNN)")                                                                            \
    X(S_F_EMAIL, "E-mail", "E-mail", "E-post", "E-post")                                        \
    X(S_F_IDENT, "Identity number", "Identitetsnummer", "Identitetsnummer", "Isikukood")        \
    X(S_F_IDENT_CC, "Issued by (country)", "Udstedt af (land)", "Utstedt av (land)",            \
      "Väljaandja (riik)")                                                                      \
    X(S_IDENT_NOTE, "A recorded identity cannot be changed; a different person or"              \
      " organisation needs a new contact, through your registrar.", "En registreret identitet"  \
      " kan ikke ændres; en anden person eller organisation kræver en ny kontakt via din"       \
      " registrator.", "En registrert identitet kan ikke endres; en annen person eller"         \
      " organisasjon trenger en ny kontakt via registraren din.", "Salvestatud isikut ei saa"   \
      " muuta; teise isiku või organisatsiooni jaoks on vaja uut kontakti Teie registripidaja"  \
      " kaudu.")                                                                                \
    X(S_SAVE, "Save changes", "Gem ændringer", "Lagre endringer", "Salvesta muudatused")        \
    X(S_SAVED, "Your changes are saved.", "Dine ændringer er gemt.", "Endringene dine er"       \
      " lagret.", "Teie muudatused on salvestatud.")                                            \
    X(S_UNCHANGED, "Nothing differed, so nothing was changed.", "Intet var anderledes, så"      \
      " intet blev ændret.", "Ingenting var annerledes, så ingenting ble endret.", "Midagi ei"  \
      " erinenud, seega midagi ei muudetud.")                                                   \
    X(S_DISCLOSE, "Shown to the public (WHOIS and RDAP)", "Vises offentligt (WHOIS og RDAP)",   \
      "Vises offentlig (WHOIS og RDAP)", "Avalik (WHOIS ja RDAP)")                              \
    X(S_D_NAME, "name", "navn", "navn", "nimi")                                                 \
    X(S_D_ADDR, "address", "adresse", "adresse", "aadress")                                     \
    X(S_D_VOICE, "phone", "telefon", "telefon", "telefon")                                      \
    X(S_D_EMAIL, "e-mail", "e-mail", "e-post", "e-post")                                        \
    X(S_D_ORG_NOTE, "An organisation's name and address are always public.", "En"               \
      " organisations navn og adresse er altid offentlige.", "En organisasjons navn og"         \
      " adresse er alltid offentlige.", "Organisatsiooni nimi ja aadress on alati avalikud.")   \
    X(S_D_SAVE, "Save what is shown", "Gem hvad der vises", "Lagre hva som vises", "Salvesta"   \
      " avalikud andmed")                                                                       \
    X(S_D_SAVED, "Your choice of what is public is saved.", "Dit valg af, hvad der er"          \
      " offentligt, er gemt.", "Valget ditt av hva som er offentlig, er lagret.", "Teie valik"  \
      " avalike andmete kohta on salvestatud.")                                                 \
    X(S_ID_TITLE, "Identity check", "Identitetskontrol", "Identitetskontroll", "Isikusamasuse"  \
      " kontroll")                                                                              \
    X(S_ID_NONE, "none so far", "ingen indtil videre", "ingen så langt", "seni puudub")         \
    X(S_ID_PENDING, "waiting for proof of identity, due by", "venter på bevis for identitet,"   \
      " senest", "venter på bevis på identitet, innen", "ootab isikusamasuse tõendamist,"       \
      " hiljemalt")                                                                             \
    X(S_ID_VERIFIED, "verified", "bekræftet", "bekreftet", "kinnitatud")                        \
    X(S_ID_FAILED, "failed: the domains of this registrant are suspended until it proves its"   \
      " identity", "mislykket: registrantens domæner er suspenderet, indtil identiteten er"     \
      " bevist", "mislykket: innehaverens domener er suspendert til identiteten er bevist",     \
      "ebaõnnestus: registreerija domeenid on peatatud, kuni isik on tõendatud")                \
    X(S_ID_EID, "Prove it now with your eID:", "Bevis det nu med dit eID:", "Bevis det nå med"  \
      " eID-en din:", "Tõendage see kohe oma e-ID-ga:")                                         \
    X(S_ID_DOCS, "Or send a copy of an identity document (passport, national identity card or"  \
      " driving licence; an organisation: its registration certificate) to:", "Eller send en"   \
      " kopi af et identitetsdokument (pas, nationalt id-kort eller kørekort; en"               \
      " organisation: dens registreringsbevis) til:", "Eller send en kopi av et"                \
      " identitetsdokument (pass, nasjonalt ID-kort eller førerkort; en organisasjon:"          \
      " registreringsbeviset) til:", "Või saatke isikut tõendava dokumendi koopia (pass,"       \
      " ID-kaart või juhiluba; organisatsioon: registreerimistõend) aadressil:")                \
    X(S_ID_DONE, "Your identity is verified.", "Din identitet er bekræftet.", "Identiteten"     \
      " din er bekreftet.", "Teie isik on kinnitatud.")                                         \
    X(ST_OK, "active", "aktivt", "aktivt", "aktiivne")                                             \
    X(ST_INACTIVE, "no name servers: not in the DNS", "ingen navneservere: ikke i DNS",           \
      "ingen navnetjenere: ikke i DNS", "nimeserverid puuduvad: DNS-is pole")                     \
    X(ST_HOLD, "suspended: not in the DNS", "suspenderet: ikke i DNS", "suspendert: ikke i DNS",  \
      "peatatud: DNS-is pole")                                                                     \
    X(ST_PENDING_UPDATE, "a change awaits your answer", "en ændring venter på dit svar",          \
      "en endring venter på svaret ditt", "muudatus ootab Teie vastust")                          \
    X(ST_PENDING_DELETE, "being deleted", "ved at blive slettet", "i ferd med å slettes",          \
      "kustutamisel")                                                                              \
    X(ST_PENDING_TRANSFER, "moving to another registrar", "ved at flytte til en anden "           \
      "registrator", "i ferd med å flyttes til en annen registrar", "üleviimisel teise "          \
      "registripidaja juurde")                                                                     \
    X(ST_LOCKED, "locked against changes", "låst mod ændringer", "låst mot endringer",            \
      "muudatuste eest lukustatud")                                                                \
    X(ST_REDEMPTION, "expired: can still be restored", "udløbet: kan stadig gendannes",           \
      "utløpt: kan fortsatt gjenopprettes", "aegunud: veel taastatav")                             \
    X(ST_OTHER, "other:", "andet:", "annet:", "muu:")

enum ss_text_id {
#define SS_TEXT_ENUM(id, en, da, nb, et) id,
    SS_TEXTS(SS_TEXT_ENUM)
#undef SS_TEXT_ENUM
    S__COUNT
};

/* The languages, in the order of the table's columns (English first: the
 * default). */
extern const char *const ss_langs[];
#define SS_LANG_COUNT 4
/* The language code of ss_langs for a stored code ("da"), else NULL. */
const char *ss_lang_known(const char *code);
/* The text in language lang (one of ss_langs; others get English). */
const char *ss_text(const char *lang, enum ss_text_id id);

#endif
