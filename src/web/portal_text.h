/* Every sentence of the registrar portal, in one place: one row per text,
 * a column per language (English, Danish), so no text can lack a
 * language. A page asks portal_text(lang, T_…). */
#ifndef REG_WEB_PORTAL_TEXT_H
#define REG_WEB_PORTAL_TEXT_H

/* X(id, English, Danish) */
#define PORTAL_TEXTS(X)                                                                            \
    X(T_APP, "Registrar portal", "Registrarportal")                                                \
    X(T_LANG_NAME, "English", "Dansk")                                                             \
    X(T_SWITCH_LANG, "Dansk", "English")                                                           \
    X(T_LOGIN_TITLE, "Log in", "Log ind")                                                          \
    X(T_LOGIN_INTRO, "Log in with the login name and password your registrar's administrator "    \
      "gave you.", "Log ind med det brugernavn og den adgangskode, din registrators "              \
      "administrator har givet dig.")                                                              \
    X(T_LOGIN_NAME, "Login name", "Brugernavn")                                                    \
    X(T_PASSWORD, "Password", "Adgangskode")                                                       \
    X(T_LOGIN_BUTTON, "Log in", "Log ind")                                                         \
    X(T_LOGIN_FAILED, "You were not logged in", "Du blev ikke logget ind")                         \
    X(T_CODE_TITLE, "Enter your code", "Indtast din kode")                                         \
    X(T_CODE_INTRO, "Enter the 6-digit code your authenticator app shows for this login.",        \
      "Indtast den 6-cifrede kode, som din godkendelsesapp viser for dette login.")                \
    X(T_CODE_LABEL, "Code", "Kode")                                                                \
    X(T_CONTINUE, "Continue", "Fortsæt")                                                           \
    X(T_ENROL_TITLE, "Set up two-step login", "Opsæt totrinslogin")                                \
    X(T_ENROL_INTRO, "Every login needs a code from an authenticator app as well as your "        \
      "password. Add this key to the app (open the link on your phone, or type the key), then "   \
      "enter the code the app shows.", "Hvert login kræver både din adgangskode og en kode fra "  \
      "en godkendelsesapp. Føj denne nøgle til appen (åbn linket på din telefon, eller skriv "     \
      "nøglen), og indtast så den kode, appen viser.")                                             \
    X(T_ENROL_KEY, "Key", "Nøgle")                                                                 \
    X(T_ENROL_LINK, "Link for the app", "Link til appen")                                          \
    X(T_ENROL_QR, "Or scan this with the app", "Eller scan dette med appen")                      \
    X(T_LOGOUT, "Log out", "Log ud")                                                               \
    X(T_LOGGED_IN_AS, "Logged in as", "Logget ind som")                                            \
    X(T_OVERVIEW, "Overview", "Oversigt")                                                          \
    X(T_DOMAINS, "Domains", "Domæner")                                                             \
    X(T_BY_STATUS, "Domains by status", "Domæner efter status")                                    \
    X(T_STATUS, "Status", "Status")                                                                \
    X(T_NUMBER, "Number", "Antal")                                                                 \
    X(T_NO_DOMAINS, "No domains yet.", "Ingen domæner endnu.")                                     \
    X(T_EXPIRING, "Expiring within 30 days", "Udløber inden for 30 dage")                          \
    X(T_BALANCE, "Balance", "Saldo")                                                               \
    X(T_CREDIT_LIMIT, "Credit limit", "Kreditgrænse")                                              \
    X(T_POLL, "Unread poll messages", "Ulæste poll-beskeder")                                      \
    X(T_ADMIN, "Administration", "Administration")                                                 \
    X(T_USERS, "Portal users", "Portalbrugere")                                                    \
    X(T_LOGIN_COL, "Login name", "Brugernavn")                                                     \
    X(T_EMAIL, "E-mail", "E-mail")                                                                 \
    X(T_ROLES, "Roles", "Roller")                                                                  \
    X(T_STATE, "State", "Tilstand")                                                                \
    X(T_LAST_LOGIN, "Last login", "Seneste login")                                                 \
    X(T_NEVER, "never", "aldrig")                                                                  \
    X(T_STATE_ACTIVE, "active", "aktiv")                                                           \
    X(T_STATE_DISABLED, "disabled", "spærret")                                                     \
    X(T_STATE_LOCKED, "locked", "låst")                                                            \
    X(T_STATE_ENROL, "not enrolled yet", "ikke tilmeldt endnu")                                    \
    X(T_ROLE_ADMINISTRATOR, "Administrator", "Administrator")                                      \
    X(T_ROLE_NAMESERVER_MANAGER, "Name server manager", "Navneserveradministrator")                \
    X(T_ROLE_REGISTRAR, "Registrar", "Registrator")                                                \
    X(T_ROLE_PAYER, "Payer", "Betaler")                                                            \
    X(T_ROLE_PROXY, "Proxy", "Proxy")                                                              \
    X(T_FORBIDDEN_TITLE, "Not allowed", "Ikke tilladt")                                            \
    X(T_FORBIDDEN_TEXT, "Your login does not have the role this page needs. Ask your "            \
      "registrar's administrator for it.", "Dit login har ikke den rolle, siden kræver. Bed din " \
      "registrators administrator om den.")                                                        \
    X(T_CSRF_TITLE, "Please try again", "Prøv igen")                                               \
    X(T_CSRF_TEXT, "The form was out of date or sent from elsewhere, so nothing was done. "       \
      "Reload the page and try again.", "Formularen var forældet eller sendt fra et andet sted, " \
      "så intet blev gjort. Genindlæs siden, og prøv igen.")                                       \
    X(T_TOO_MANY_TITLE, "Too many login attempts", "For mange loginforsøg")                      \
    X(T_TOO_MANY_TEXT, "There were too many login attempts from your address. Nothing was "       \
      "checked. Wait a minute, then try again.", "Der var for mange loginforsøg fra din adresse. " \
      "Intet blev kontrolleret. Vent et minut, og prøv så igen.")                                  \
    X(T_UNAVAILABLE, "The registry could not handle the request just now. Nothing was changed. " \
      "Please try again in a few minutes.", "Registret kunne ikke behandle anmodningen lige nu. " \
      "Intet blev ændret. Prøv igen om nogle minutter.")                                           \
    X(T_DOM_SEARCH, "Search", "Søg")                                                               \
    X(T_DOM_NAME_PART, "Name contains", "Navnet indeholder")                                       \
    X(T_DOM_ANY_STATUS, "Any status", "Alle statusser")                                            \
    X(T_DOM_EXPIRES_FROM, "Expires on or after", "Udløber fra og med")                             \
    X(T_DOM_EXPIRES_TO, "Expires before", "Udløber før")                                           \
    X(T_DOM_CONTACT, "Contact handle", "Kontakthandle")                                            \
    X(T_DOM_NAME, "Name", "Navn")                                                                  \
    X(T_DOM_REGISTRANT, "Registrant", "Registrant")                                                \
    X(T_DOM_EXPIRES, "Expires", "Udløber")                                                         \
    X(T_DOM_NS, "Name servers", "Navneservere")                                                    \
    X(T_DOM_FOUND, "{} domains match; page {} of {}.",                                             \
      "{} domæner passer; side {} af {}.")                                                         \
    X(T_DOM_NONE, "No domains match.", "Ingen domæner passer.")                                    \
    X(T_DOM_PREV, "Previous page", "Forrige side")                                                 \
    X(T_DOM_NEXT, "Next page", "Næste side")                                                       \
    X(T_DOM_EXPORT, "Export all matching domains as CSV", "Eksportér alle viste domæner som CSV")  \
    X(T_DOM_SELECT, "Select {}", "Vælg {}")                                                        \
    X(T_DOM_BAD_DATE, "Dates are written YYYY-MM-DD.", "Datoer skrives ÅÅÅÅ-MM-DD.")               \
    X(T_BULK_TITLE, "Replace a name server in the selected domains",                               \
      "Erstat en navneserver i de valgte domæner")                                                 \
    X(T_BULK_FROM, "Name server to replace", "Navneserver, der skal erstattes")                    \
    X(T_BULK_TO, "New name server", "Ny navneserver")                                              \
    X(T_BULK_BUTTON, "Continue to confirmation", "Fortsæt til bekræftelse")                        \
    X(T_BULK_NO_SELECTION, "Select at least one domain, and give both name servers.",              \
      "Vælg mindst ét domæne, og angiv begge navneservere.")                                       \
    X(T_BULK_COUNT, "{} of the {} selected domains use {}. In them it will be replaced by {}.",    \
      "{} af de {} valgte domæner bruger {}. I dem bliver den erstattet af {}.")                   \
    X(T_BULK_CONFIRM, "Replace in {} domains", "Erstat i {} domæner")                              \
    X(T_BULK_NOTHING, "None of the selected domains uses this name server; nothing would change.", \
      "Ingen af de valgte domæner bruger denne navneserver; intet ville blive ændret.")            \
    X(T_BULK_DONE, "The name server was replaced in {} domains.",                                  \
      "Navneserveren blev erstattet i {} domæner.")                                                \
    X(T_BACK, "Back to the domains", "Tilbage til domænerne")                                      \
    X(T_DOM_NOT_FOUND, "Domain not found", "Domænet findes ikke")                                  \
    X(T_DOM_NOT_FOUND_TEXT, "None of your registrar's domains has that name.",                     \
      "Ingen af din registrators domæner har det navn.")                                           \
    X(T_DOM_ALABEL, "A-label", "A-label")                                                          \
    X(T_DOM_ROID, "Repository id (ROID)", "Repository-id (ROID)")                                  \
    X(T_DOM_CONTACTS, "Contacts", "Kontakter")                                                     \
    X(T_DOM_HOSTS, "Hosts under the domain", "Værter under domænet")                               \
    X(T_DOM_DS, "DS records", "DS-poster")                                                         \
    X(T_DOM_SPONSOR, "Registrar", "Registrator")                                                   \
    X(T_DOM_CREATED, "Created", "Oprettet")                                                        \
    X(T_DOM_UPDATED, "Last updated", "Senest ændret")                                              \
    X(T_DOM_TRANSFERRED, "Last transferred", "Senest overdraget")                                  \
    X(T_DOM_AUTHINFO, "Auth info", "Autorisationskode")                                            \
    X(T_DOM_AUTH_IS_SET, "set", "sat")                                                             \
    X(T_DOM_AUTH_NOT_SET, "none", "ingen")                                                         \
    X(T_DOM_MANAGEMENT, "Managed by", "Administreres af")                                          \
    X(T_DOM_TERMS, "Terms accepted", "Vilkår accepteret")                                          \
    X(T_DOM_PENDING, "Waiting for the registrant", "Afventer registranten")                        \
    X(T_DOM_BY, "{} by {}", "{} af {}")                                                            \
    X(T_DOM_HISTORY, "History", "Historik")                                                        \
    X(T_HIST_VERSION, "Version", "Version")                                                        \
    X(T_HIST_WHEN, "When", "Hvornår")                                                              \
    X(T_HIST_ACTION, "Change", "Ændring")                                                          \
    X(T_HIST_WHO, "By", "Af")                                                                      \
    X(T_HIST_CHANNEL, "Channel", "Kanal")                                                          \
    X(T_HIST_OLDER, "{} older versions are not shown.", "{} ældre versioner vises ikke.")          \
    X(T_NS_TITLE, "Change name servers", "Skift navneservere")                                     \
    X(T_NS_HELP, "One host name per line, at most 13.", "Ét værtsnavn pr. linje, højst 13.")       \
    X(T_NS_SAVE, "Save name servers", "Gem navneservere")                                          \
    X(T_NS_SAVED, "The name servers were saved.", "Navneserverne blev gemt.")                      \
    X(T_NS_UNCHANGED, "The name servers were these already; nothing changed.",                     \
      "Navneserverne var allerede disse; intet blev ændret.")                                      \
    X(T_NS_NEEDS_ROLE, "Changing the name servers needs the Name server manager role.",            \
      "Skift af navneservere kræver rollen Navneserveradministrator.")                             \
    X(T_RENEW_TITLE, "Renew", "Forny")                                                             \
    X(T_RENEW_YEARS, "Years", "År")                                                                \
    X(T_RENEW_BUTTON, "Renew", "Forny")                                                            \
    X(T_RENEWED, "Renewed: the domain now expires on {}.", "Fornyet: domænet udløber nu {}.")      \
    X(T_AUTH_NEW, "New auth info", "Ny autorisationskode")                                         \
    X(T_AUTH_SET, "Set auth info", "Sæt autorisationskode")                                        \
    X(T_AUTH_GENERATE, "Generate new auth info", "Dan ny autorisationskode")                       \
    X(T_AUTH_CLEAR, "Remove auth info", "Fjern autorisationskode")                                 \
    X(T_AUTH_WAS_SET, "The auth info was set.", "Autorisationskoden blev sat.")                    \
    X(T_AUTH_GENERATED, "The new auth info is {} (shown only this once).",                         \
      "Den nye autorisationskode er {} (vises kun denne ene gang).")                               \
    X(T_AUTH_CLEARED, "The auth info was removed.", "Autorisationskoden blev fjernet.")            \
    X(T_AUTH_EMPTY, "Enter the new auth info, or generate one.",                                   \
      "Indtast den nye autorisationskode, eller dan en.")                                         \
    X(T_NEW_LINK, "Register a domain", "Registrér et domæne")                                      \
    X(T_NEW_TITLE, "Register a domain", "Registrér et domæne")                                     \
    X(T_NEW_ADMIN, "Admin contacts", "Admin-kontakter")                                            \
    X(T_NEW_TECH, "Tech contacts", "Tekniske kontakter")                                              \
    X(T_NEW_MG_DEFAULT, "Your registrar's default", "Registratorens standard")                     \
    X(T_NEW_MG_REGISTRAR, "The registrar", "Registratoren")                                        \
    X(T_NEW_MG_REGISTRANT, "The registrant", "Registranten")                                       \
    X(T_NEW_TERMS, "The registrant has accepted the registry's terms (version {}).",               \
      "Registranten har accepteret registrets vilkår (version {}).")                               \
    X(T_NEW_BUTTON, "Register", "Registrér")                                                       \
    X(T_NEW_NAME_MISSING, "Enter the domain name.", "Indtast domænenavnet.")                       \
    X(T_NEW_TERMS_MISSING, "The registrant must accept the registry's terms before the domain can be registered.",\
      "Registranten skal acceptere registrets vilkår, før domænet kan registreres.")               \
    X(T_NEW_DONE, "{} is registered until {}.", "{} er registreret til {}.")                       \
    X(T_CT_TITLE, "Contacts and statuses", "Kontakter og statusser")                               \
    X(T_CT_STATUSES, "Statuses set by the registrar", "Statusser sat af registratoren")            \
    X(T_CT_SAVE, "Save contacts and statuses", "Gem kontakter og statusser")                       \
    X(T_CT_SAVED, "The contacts and statuses were saved.", "Kontakterne og statusserne blev gemt.")\
    X(T_CT_UNCHANGED, "The contacts and statuses were these already; nothing changed.",            \
      "Kontakterne og statusserne var allerede disse; intet blev ændret.")                         \
    X(T_DS_REMOVE, "Remove", "Fjern")                                                              \
    X(T_DS_REMOVE_ONE, "Remove DS record {}", "Fjern DS-posten {}")                                \
    X(T_DS_KEYTAG, "Key tag", "Nøgle-tag")                                                         \
    X(T_DS_ALG, "Algorithm", "Algoritme")                                                          \
    X(T_DS_DIGEST_TYPE, "Digest type", "Digest-type")                                              \
    X(T_DS_DIGEST, "Digest", "Digest")                                                             \
    X(T_DS_ADD, "Add DS record", "Tilføj DS-post")                                                 \
    X(T_DS_NUMBERS, "Key tag, algorithm and digest type are numbers.",                             \
      "Nøgle-tag, algoritme og digest-type er tal.")                                               \
    X(T_DS_NO_DIGEST, "Enter the digest.", "Indtast digest.")                                      \
    X(T_DS_ADDED, "The DS record was added.", "DS-posten blev tilføjet.")                          \
    X(T_DS_REMOVED, "The DS record was removed.", "DS-posten blev fjernet.")                       \
    X(T_TR_INCOMING, "Transfer to another registrar", "Overdragelse til en anden registrator")     \
    X(T_TR_INCOMING_TEXT, "{} asked for this domain on {}. Unless you answer, it is approved on {}.",\
      "{} bad om dette domæne {}. Svarer du ikke, godkendes det {}.")                              \
    X(T_TR_APPROVE, "Approve the transfer", "Godkend overdragelsen")                               \
    X(T_TR_REJECT, "Reject the transfer", "Afvis overdragelsen")                                   \
    X(T_TR_APPROVED, "{} was transferred to {}.", "{} blev overdraget til {}.")                    \
    X(T_TR_REJECTED, "The transfer was rejected.", "Overdragelsen blev afvist.")                   \
    X(T_RESTORE_TITLE, "Deleted", "Slettet")                                                       \
    X(T_RESTORE_TEXT, "The domain is deleted and can be restored until {}.",                       \
      "Domænet er slettet og kan genoprettes indtil {}.")                                          \
    X(T_RESTORE_BUTTON, "Restore the domain", "Genopret domænet")                                  \
    X(T_RESTORED, "The domain was restored.", "Domænet blev genoprettet.")                         \
    X(T_DEL_TITLE, "Delete", "Slet")                                                               \
    X(T_DEL_UNDER_WAY, "A deletion is under way.", "En sletning er i gang.")                       \
    X(T_DEL_ASK_TEXT, "The registrant gets an e-mail with a link to confirm or refuse the deletion.",\
      "Registranten får en e-mail med et link til at bekræfte eller afvise sletningen.")           \
    X(T_DEL_ASK, "Ask the registrant to confirm the deletion",                                     \
      "Bed registranten bekræfte sletningen")                                                      \
    X(T_DEL_VERIFIED, "I have verified the registrant's intent to delete the domain.",             \
      "Jeg har sikret mig, at registranten vil slette domænet.")                                   \
    X(T_DEL_NOW, "Delete now", "Slet nu")                                                          \
    X(T_DEL_VERIFY_MISSING, "Tick the box to say you have verified the registrant's intent, or ask the registrant to confirm.",\
      "Sæt kryds for at bekræfte, at du har sikret dig registrantens hensigt, eller bed registranten bekræfte.")\
    X(T_DEL_GONE, "{} was deleted.", "{} blev slettet.")                                           \
    X(T_DEL_REDEMPTION, "The domain was deleted; it can be restored during the redemption period.",\
      "Domænet blev slettet; det kan genoprettes i genoprettelsesperioden.")                       \
    X(T_DEL_ASKED, "The registrant was asked by e-mail to confirm the deletion.",                  \
      "Registranten blev bedt om at bekræfte sletningen pr. e-mail.")                              \
    X(T_TR_LINK, "Transfer a domain to you", "Overdrag et domæne til dig")                         \
    X(T_TR_TITLE, "Transfer a domain to you", "Overdrag et domæne til dig")                        \
    X(T_TR_INTRO, "Request a domain from another registrar with its auth info, which the registrant gets from that registrar.",\
      "Anmod om et domæne fra en anden registrator med dets autorisationskode, som registranten får hos den registrator.")\
    X(T_TR_AUTH, "Auth info or one-time password", "Autorisationskode eller engangskode")          \
    X(T_TR_REQUEST, "Request the transfer", "Anmod om overdragelsen")                              \
    X(T_OTP_TITLE, "No auth info?", "Ingen autorisationskode?")                                    \
    X(T_OTP_INTRO, "The registry can send the registrant a one-time password. With it, the transfer happens at once.",\
      "Registret kan sende registranten en engangskode. Med den sker overdragelsen med det samme.")\
    X(T_OTP_CHANNEL, "Send by", "Send med")                                                        \
    X(T_OTP_EMAIL, "E-mail", "E-mail")                                                             \
    X(T_OTP_SMS, "SMS", "SMS")                                                                     \
    X(T_OTP_SEND, "Send a one-time password to the registrant",                                    \
      "Send en engangskode til registranten")                                                      \
    X(T_OTP_SENT, "A one-time password for {} was sent to the registrant; it can be used until {}. Nothing is transferred yet.",\
      "En engangskode til {} blev sendt til registranten; den kan bruges indtil {}. Intet er overdraget endnu.")\
    X(T_TR_DONE, "{} is now yours.", "{} er nu jeres.")                                            \
    X(T_TR_PENDING, "The transfer of {} was requested; {} can approve or reject it until {}, when it is approved by itself.",\
      "Overdragelsen af {} er anmodet; {} kan godkende eller afvise den indtil {}, hvor den godkendes automatisk.")\
    X(T_BR_TITLE, "Renew the selected domains", "Forny de valgte domæner")                         \
    X(T_BR_BUTTON, "Continue to renewal", "Fortsæt til fornyelse")                                 \
    X(T_BR_COUNT, "{} of the {} selected domains will be renewed.",                                \
      "{} af de {} valgte domæner bliver fornyet.")                                                \
    X(T_BR_CHARGE, "Your account will be charged {} for them.",                                    \
      "Din konto bliver debiteret {} for dem.")                                                    \
    X(T_BR_CONFIRM, "Renew {} domains", "Forny {} domæner")                                        \
    X(T_BR_DONE, "{} domains were renewed.", "{} domæner blev fornyet.")                           \
    X(T_BT_TITLE, "Replace a tech contact in the selected domains",                                \
      "Erstat en teknisk kontakt i de valgte domæner")                                             \
    X(T_BT_FROM, "Tech contact to replace", "Teknisk kontakt, der skal erstattes")                 \
    X(T_BT_TO, "New tech contact", "Ny teknisk kontakt")                                           \
    X(T_BT_BUTTON, "Continue to replacement", "Fortsæt til erstatning")                            \
    X(T_BT_COUNT, "{} of the {} selected domains have tech contact {}. In them it will be replaced by {}.",\
      "{} af de {} valgte domæner har teknisk kontakt {}. I dem erstattes den af {}.")             \
    X(T_BT_CONFIRM, "Replace in {} domains", "Erstat i {} domæner")                                \
    X(T_BT_NOTHING, "None of the selected domains has this tech contact; nothing would change.",   \
      "Ingen af de valgte domæner har denne tekniske kontakt; intet ville ændres.")                \
    X(T_BT_DONE, "The tech contact was replaced in {} domains.",                                   \
      "Den tekniske kontakt blev erstattet i {} domæner.")                                         \
    X(T_CHART_TITLE, "Registrations per month", "Registreringer pr. måned")                        \
    X(T_CHART_DESC, "Bar chart of the domains your registrar registered in each of the last 12 months, from {} to {}; the same numbers are in the table below.",\
      "Søjlediagram over de domæner, din registrator registrerede i hver af de seneste 12 måneder, fra {} til {}; de samme tal står i tabellen nedenfor.")\
    X(T_CHART_MONTH, "Month", "Måned")                                                             \
    X(T_LINKED_HANDLES, "Linked WHOIS handles", "Tilknyttede WHOIS-handles")                       \
    X(T_LINKED_INTRO, "The handles linked to your registrar are managed here: their domains and " \
      "name servers through this portal. A linked handle can no longer log in to the registry's " \
      "self-service.", "Handles, der er tilknyttet din registrator, administreres her: deres "     \
      "domæner og navneservere gennem denne portal. Et tilknyttet handle kan ikke længere logge " \
      "ind på registrets selvbetjening.")                                                          \
    X(T_HANDLE, "Handle", "Handle")                                                                \
    X(T_NAME, "Name", "Navn")                                                                      \
    X(T_ORG, "Organisation", "Organisation")                                                       \
    X(T_NAMESERVERS, "Name servers", "Navneservere")                                               \
    X(T_NO_LINKED, "No handles are linked to your registrar yet.",                                 \
      "Der er endnu ingen handles tilknyttet din registrator.")                                    \
    X(T_CANDIDATES, "Handles you can link", "Handles, du kan tilknytte")                           \
    X(T_CANDIDATES_INTRO, "Only active handles whose contact data are exactly those of your "     \
      "registrar's own handle (name, organisation, address, org number/VAT, phone and e-mail) "    \
      "can be linked.", "Kun aktive handles med præcis de samme kontaktoplysninger som din "       \
      "registrators eget handle (navn, organisation, adresse, CVR-nr./momsnummer, telefon og "     \
      "e-mail) kan tilknyttes.")                                                                   \
    X(T_NO_OWN_HANDLE, "There are no handles you can link: your registrar has no handle of its "  \
      "own registered with the registry. Ask the registry to register it.", "Der er ingen "       \
      "handles, du kan tilknytte: din registrator har intet eget handle registreret hos "          \
      "registret. Bed registret om at registrere det.")                                            \
    X(T_NO_MATCH, "There are no active handles you can link: no handle that is not linked yet "   \
      "has exactly the same contact data as your registrar's own handle.", "Der er ingen aktive " \
      "handles, du kan tilknytte: intet handle, der ikke allerede er tilknyttet, har præcis de "   \
      "samme kontaktoplysninger som din registrators eget handle.")                                \
    X(T_LINK, "Link", "Tilknyt")                                                                   \
    X(T_UNLINK, "Unlink", "Fjern tilknytning")                                                     \
    X(T_SPONSOR, "Sponsor", "Sponsor")                                                             \
    X(T_CREATE_HANDLE, "Create handle", "Opret handle")                                            \
    X(T_CREATE_HANDLE_INTRO, "A new handle, linked to your registrar at once. The same rules "    \
      "apply as for a contact created over EPP.", "Et nyt handle, der straks tilknyttes din "      \
      "registrator. De samme regler gælder som for en kontakt oprettet over EPP.")                 \
    X(T_HANDLE_ID, "Handle (optional: one is chosen for you)",                                     \
      "Handle (valgfrit: ellers vælges et for dig)")                                               \
    X(T_KIND, "Type", "Type")                                                                      \
    X(T_KIND_PERSON, "Person", "Person")                                                           \
    X(T_KIND_ORGANIZATION, "Organisation", "Organisation")                                         \
    X(T_KIND_ROLE, "Role", "Rolle")                                                                \
    X(T_STREET, "Street", "Gade")                                                                  \
    X(T_CITY, "City", "By")                                                                        \
    X(T_SP, "State or province", "Region")                                                         \
    X(T_PC, "Postal code", "Postnummer")                                                           \
    X(T_CC, "Country code (DK, NO …)", "Landekode (DK, NO …)")                                     \
    X(T_VOICE, "Phone (+45.12345678)", "Telefon (+45.12345678)")                                   \
    X(T_IDENT_TYPE, "Identification", "Identifikation")                                            \
    X(T_IDENT_NONE, "none", "ingen")                                                               \
    X(T_IDENT_ORG, "Org number / VAT", "CVR-nr. / momsnummer")                                     \
    X(T_IDENT_PRIV, "Personal id number", "Personnummer")                                          \
    X(T_IDENT_BIRTHDAY, "Birthday", "Fødselsdag")                                                  \
    X(T_IDENT_PASSPORT, "Passport", "Pas")                                                         \
    X(T_IDENT_VALUE, "Identification number", "Identifikationsnummer")                             \
    X(T_IDENT_CC, "Issued in (country code)", "Udstedt i (landekode)")                             \
    X(T_HANDLE_CREATED, "The handle was created and linked.",                                      \
      "Handlet blev oprettet og tilknyttet.")                                                      \
    X(T_HANDLE_LINKED, "The handle was linked.", "Handlet blev tilknyttet.")                        \
    X(T_HANDLE_UNLINKED, "The handle was unlinked.", "Handlets tilknytning blev fjernet.")         \
    X(T_HANDLE_ROLES, "Roles", "Roller")                                                           \
    X(T_R_REGISTRANT, "Registrant", "Registrant")                                                  \
    X(T_R_ADMIN, "Administrative contact", "Administrativ kontakt")                                \
    X(T_R_TECH, "Technical contact", "Teknisk kontakt")                                            \
    X(T_R_BILLING, "Billing contact", "Betalingskontakt")                                          \
    X(T_R_NS_ADMIN, "Name server administrator", "Navneserveradministrator")                       \
    X(T_NO_ROLES, "none", "ingen")                                                                 \
    X(T_DOMAIN, "Domain", "Domæne")                                                                \
    X(T_NAMESERVER, "Name server", "Navneserver")                                                  \
    X(T_NO_HANDLE_DOMAINS, "The handle has no domains.", "Handlet har ingen domæner.")              \
    X(T_NO_HANDLE_NAMESERVERS, "The handle administers no name servers.",                          \
      "Handlet administrerer ingen navneservere.")                                                 \
    X(T_BACK_TO_HANDLES, "Back to the linked handles", "Tilbage til de tilknyttede handles")       \
    X(T_PROFILE, "My profile", "Min profil")                                                       \
    X(T_REGISTRAR, "Registrar", "Registrator")                                                     \
    X(T_CHANGE_PASSWORD, "Change password", "Skift adgangskode")                                   \
    X(T_CURRENT_PASSWORD, "Current password", "Nuværende adgangskode")                             \
    X(T_NEW_PASSWORD, "New password (at least 10 characters)",                                     \
      "Ny adgangskode (mindst 10 tegn)")                                                           \
    X(T_PASSWORD_CHANGED, "Your password was changed.", "Din adgangskode blev skiftet.")           \
    X(T_SAVE, "Save", "Gem")                                                                       \
    X(T_MY_ROLES, "My roles", "Mine roller")                                                       \
    X(T_MY_ROLES_ADMIN, "As an administrator you can give yourself other roles, e.g. Name "       \
      "server manager, which changing a domain's name servers needs. A role applies from your "   \
      "next page.", "Som administrator kan du give dig selv andre roller, f.eks. "                 \
      "Navneserveradministrator, som kræves for at ændre et domænes navneservere. En rolle "       \
      "gælder fra din næste side.")                                                                \
    X(T_MY_ROLES_ASK, "Ask your registrar's administrator for other roles.",                       \
      "Bed din registrators administrator om andre roller.")                                       \
    X(T_ROLES_SAVED, "Your roles were saved.", "Dine roller blev gemt.")                           \
    X(T_TOTP_RESET, "New authenticator key", "Ny nøgle til godkendelsesappen")                     \
    X(T_TOTP_RESET_INTRO, "Forget your current key: you are logged out and set up a new key at "  \
      "your next login.", "Glem din nuværende nøgle: du bliver logget ud og opsætter en ny nøgle " \
      "ved næste login.")                                                                          \
    X(T_TOTP_RESET_DONE, "Your key was forgotten. Log in again to set up a new one.",              \
      "Din nøgle blev glemt. Log ind igen for at opsætte en ny.")                                  \
    X(T_CONTACTS, "Contacts", "Kontakter")                                                         \
    X(T_HOSTS, "Hosts", "Værter")                                                                  \
    X(T_POLL_TITLE, "Poll messages", "Poll-beskeder")                                              \
    X(T_EPPLOG, "EPP log", "EPP-log")                                                              \
    X(T_PAGES, "Pages", "Sider")                                                                   \
    X(T_OBJECTS_FOUND, "{} found.", "{} fundet.")                                                  \
    X(T_IN_USE, "In use", "I brug")                                                                \
    X(T_YES, "yes", "ja")                                                                          \
    X(T_NO, "no", "nej")                                                                           \
    X(T_DATE, "Date", "Dato")                                                                      \
    X(T_OBJECT, "Object", "Objekt")                                                                \
    X(T_ROLE, "Role", "Rolle")                                                                     \
    X(T_ADDRESS, "Address", "Adresse")                                                             \
    X(T_FAX, "Fax", "Fax")                                                                         \
    X(T_MOBILE, "Mobile", "Mobil")                                                                 \
    X(T_IDENT, "Identification", "Identifikation")                                                 \
    X(T_DISCLOSE, "Disclosure", "Offentliggørelse")                                                \
    X(T_DISCLOSED, "shown", "vises")                                                               \
    X(T_WITHHELD, "withheld", "skjules")                                                           \
    X(T_IDCHECK, "Identity check", "Identitetskontrol")                                            \
    X(T_CONTACT_SEARCH, "Handle, name or e-mail contains", "Handle, navn eller e-mail indeholder") \
    X(T_CONTACT_NONE, "No contacts match.", "Ingen kontakter passer.")                             \
    X(T_CONTACT_NEW, "Create contact", "Opret kontakt")                                            \
    X(T_CONTACT_NEW_INTRO, "Leave the handle empty to get one made for you. The registry checks "  \
      "the data as it does for EPP's contact:create.", "Lad handlet stå tomt for at få et "        \
      "dannet. Registret kontrollerer oplysningerne som ved EPP's contact:create.")                \
    X(T_CONTACT_CREATE, "Create contact", "Opret kontakt")                                         \
    X(T_CONTACT_CREATED, "Contact {} was created.", "Kontakten {} blev oprettet.")                 \
    X(T_BACK_TO_CONTACTS, "Back to the contacts", "Tilbage til kontakterne")                       \
    X(T_CONTACT_NOT_FOUND, "Contact not found", "Kontakten findes ikke")                           \
    X(T_CONTACT_NOT_FOUND_TEXT, "None of your registrar's contacts has that handle.",              \
      "Ingen af din registrators kontakter har det handle.")                                       \
    X(T_CONTACT_USES, "Used by", "Bruges af")                                                      \
    X(T_CONTACT_UNUSED, "No domain or host uses this contact.",                                    \
      "Intet domæne og ingen vært bruger denne kontakt.")                                          \
    X(T_CONTACT_CHANGE, "Change the contact", "Ret kontakten")                                     \
    X(T_CONTACT_SAVED, "The contact was changed.", "Kontakten blev ændret.")                       \
    X(T_CONTACT_DELETE, "Delete the contact", "Slet kontakten")                                    \
    X(T_CONTACT_DELETE_LINKED, "A contact in use cannot be deleted.",                              \
      "En kontakt i brug kan ikke slettes.")                                                       \
    X(T_CONTACT_DELETED, "Contact {} was deleted.", "Kontakten {} blev slettet.")                  \
    X(T_ADDRESSES, "Addresses", "Adresser")                                                        \
    X(T_HOST_NONE, "No hosts match.", "Ingen værter passer.")                                      \
    X(T_HOST_NEW, "Create host", "Opret vært")                                                     \
    X(T_HOST_CREATE, "Create host", "Opret vært")                                                  \
    X(T_HOST_CREATED, "Host {} was created.", "Værten {} blev oprettet.")                          \
    X(T_HOST_NAME_HELP, "The name server's name, e.g. ns1.example.dk.",                            \
      "Navneserverens navn, fx ns1.example.dk.")                                                   \
    X(T_HOST_ADDRS_HELP, "One IPv4 or IPv6 address a line; needed for a host under one of "        \
      "your domains, not allowed for other hosts.", "Én IPv4- eller IPv6-adresse pr. linje; "      \
      "kræves for en vært under et af dine domæner, ikke tilladt for andre værter.")               \
    X(T_HOST_ADMIN, "Name server administrator (handle)", "Navneserveradministrator (handle)")     \
    X(T_HOST_ADMIN_HELP, "Optional: a contact's handle.", "Valgfrit: en kontakts handle.")         \
    X(T_BACK_TO_HOSTS, "Back to the hosts", "Tilbage til værterne")                                \
    X(T_HOST_NOT_FOUND, "Host not found", "Værten findes ikke")                                    \
    X(T_HOST_NOT_FOUND_TEXT, "None of your registrar's hosts has that name.",                      \
      "Ingen af din registrators værter har det navn.")                                            \
    X(T_HOST_SUPERORDINATE, "Under the domain", "Under domænet")                                   \
    X(T_HOST_CHANGE_ADDRS, "Change the addresses", "Ret adresserne")                               \
    X(T_HOST_SAVED, "The addresses were changed.", "Adresserne blev ændret.")                      \
    X(T_HOST_UNCHANGED, "The addresses are as they were.", "Adresserne er uændrede.")              \
    X(T_HOST_DELETE, "Delete the host", "Slet værten")                                             \
    X(T_HOST_DELETE_LINKED, "A host a domain uses as name server cannot be deleted.",              \
      "En vært, som et domæne bruger som navneserver, kan ikke slettes.")                          \
    X(T_HOST_DELETED, "Host {} was deleted.", "Værten {} blev slettet.")                           \
    X(T_POLL_COUNT, "{} messages in the queue, oldest first.", "{} beskeder i køen, ældste først.")\
    X(T_KIND_NONE, "(not given)", "(ikke angivet)")                                                \
    X(T_POLL_UNREAD, "{} unread", "{} ulæste")                                                     \
    X(T_POLL_EMPTY, "No messages are waiting.", "Ingen beskeder venter.")                          \
    X(T_POLL_ID, "Message", "Besked")                                                              \
    X(T_POLL_KIND, "Kind", "Slags")                                                                \
    X(T_POLL_MESSAGE, "Text", "Tekst")                                                             \
    X(T_POLL_ACK, "Acknowledge", "Kvittér")                                                        \
    X(T_POLL_ACKED, "The message was acknowledged.", "Beskeden blev kvitteret.")                   \
    X(T_POLL_ONE, "Message {}", "Besked {}")                                                       \
    X(T_BACK_TO_POLL, "Back to the messages", "Tilbage til beskederne")                            \
    X(T_POLL_NOT_FOUND, "Message not found", "Beskeden findes ikke")                               \
    X(T_POLL_NOT_FOUND_TEXT, "Your queue has no such message (it may be acknowledged already).",   \
      "Din kø har ingen sådan besked (den er måske allerede kvitteret).")                          \
    X(T_POLL_GAINING, "Gaining registrar", "Modtagende registrator")                               \
    X(T_POLL_LOSING, "Losing registrar", "Afgivende registrator")                                  \
    X(T_POLL_REQUESTED, "Requested", "Anmodet")                                                    \
    X(T_POLL_ACTION, "Decided or due", "Afgjort eller forfalder")                                  \
    X(T_POLL_OPERATION, "Operation", "Handling")                                                   \
    X(T_POLL_REASON, "Reason", "Begrundelse")                                                      \
    X(T_POLL_RESULT, "Carried out", "Udført")                                                      \
    X(T_EPPLOG_INTRO, "The EPP commands your registrar sent, newest first, as the registry "       \
      "logged them (passwords and auth info removed).", "De EPP-kommandoer, din registrator har "  \
      "sendt, nyeste først, som registret logførte dem (adgangskoder og autorisationskoder "       \
      "fjernet).")                                                                                 \
    X(T_EPPLOG_OBJECT, "Object (domain, contact, host)", "Objekt (domæne, kontakt, vært)")         \
    X(T_EPPLOG_FROM, "From (date)", "Fra (dato)")                                                  \
    X(T_EPPLOG_TO, "To (date)", "Til (dato)")                                                      \
    X(T_EPPLOG_NONE, "No commands match.", "Ingen kommandoer passer.")                             \
    X(T_EPPLOG_COMMAND, "Command", "Kommando")                                                     \
    X(T_EPPLOG_SVTRID, "svTRID", "svTRID")                                                         \
    X(T_EPPLOG_CLTRID, "clTRID", "clTRID")                                                         \
    X(T_EPPLOG_RESULT, "Result", "Resultat")                                                       \
    X(T_EPPLOG_DURATION, "Duration (µs)", "Varighed (µs)")                                         \
    X(T_EPPLOG_PEER, "From address", "Fra adresse")                                                \
    X(T_EPPLOG_REQUEST, "Request", "Forespørgsel")                                                 \
    X(T_EPPLOG_RESPONSE, "Response", "Svar")                                                       \
    X(T_BACK_TO_EPPLOG, "Back to the EPP log", "Tilbage til EPP-loggen")                           \
    X(T_EPPLOG_NOT_FOUND, "Command not found", "Kommandoen findes ikke")                           \
    X(T_EPPLOG_NOT_FOUND_TEXT, "Your registrar sent no logged command with that svTRID.",          \
      "Din registrator har ikke sendt nogen logført kommando med det svTRID.")                     \
    X(T_ADD_USER, "Add a user", "Tilføj en bruger")                                                \
    X(T_FIRST_PASSWORD, "First password (at least 10 characters; the user enrols a key at the "   \
      "first login)", "Første adgangskode (mindst 10 tegn; brugeren opsætter en nøgle ved første " \
      "login)")                                                                                    \
    X(T_USER_ADDED, "The user was added.", "Brugeren blev tilføjet.")                              \
    X(T_USER_SAVED, "The user was changed.", "Brugeren blev ændret.")                              \
    X(T_DISABLE, "Disable", "Spær")                                                                \
    X(T_ENABLE, "Enable", "Genåbn")                                                                \
    X(T_RESET_TOTP, "Reset key", "Nulstil nøgle")                                                  \
    X(T_ACTIONS, "Actions", "Handlinger")                                                          \
    X(T_NOT_YOURS, "There is no such user at your registrar.",                                     \
      "Der er ingen sådan bruger hos din registrator.")                                            \
    X(T_NOT_SELF, "You cannot disable your own login.", "Du kan ikke spærre dit eget login.") \
    X(T_CONSOLE_TITLE, "XML console", "XML-konsol") \
    X(T_CONSOLE_INTRO, "Send a whole EPP document as your registrar, exactly as over an EPP session: it is checked against the registry's schemas and runs with the same rules, and it is kept in the EPP log. A missing clTRID is filled in. <hello>, <login> and <logout> are not needed here.", "Send et helt EPP-dokument som din registrator, præcis som over en EPP-session: det kontrolleres mod registreringens skemaer og udføres med de samme regler, og det gemmes i EPP-loggen. Mangler clTRID, udfyldes det. <hello>, <login> og <logout> behøves ikke her.") \
    X(T_CONSOLE_SAMPLE, "Start from a sample", "Start fra et eksempel") \
    X(T_CONSOLE_LOAD, "Load sample", "Hent eksempel") \
    X(T_CONSOLE_DOCUMENT, "EPP document", "EPP-dokument") \
    X(T_CONSOLE_HELP, "The command runs when you send it: a create, renew or transfer is charged as over EPP.", "Kommandoen udføres, når du sender den: en oprettelse, fornyelse eller overførsel betales som over EPP.") \
    X(T_CONSOLE_SEND, "Send", "Send") \
    X(T_CONSOLE_RESULT, "Response: result {}, svTRID {}", "Svar: resultat {}, svTRID {}") \
    X(T_CONSOLE_NO_SUCH, "There is no command of your registrar with that svTRID.", "Din registrator har ingen kommando med det svTRID.") \
    X(T_CONSOLE_EMPTY, "Enter an EPP document to send.", "Indtast et EPP-dokument, der skal sendes.") \
    X(T_CONSOLE_TOO_BIG, "The document is too big: the console takes at most {} KiB.", "Dokumentet er for stort: konsollen tager højst {} KiB.") \
    X(T_BILLING_TITLE, "Billing", "Fakturering") \
    X(T_BILL_CREDIT_LIMIT, "Credit limit", "Kreditgrænse") \
    X(T_BILL_AVAILABLE, "Available", "Til rådighed") \
    X(T_BILL_STATEMENT, "Statement", "Kontoudtog") \
    X(T_BILL_FROM, "From", "Fra") \
    X(T_BILL_TO, "To (including that day)", "Til (med den dag)") \
    X(T_BILL_SHOW, "Show", "Vis") \
    X(T_BILL_BAD_RANGE, "Give the dates as 2027-01-31, the second after the first.", "Angiv datoerne som 2027-01-31, den anden efter den første.") \
    X(T_BILL_CSV, "Download as CSV", "Hent som CSV") \
    X(T_BILL_DATE, "Date", "Dato") \
    X(T_BILL_KIND, "Kind", "Art") \
    X(T_BILL_OPERATION, "Operation", "Handling") \
    X(T_BILL_OBJECT, "Object or text", "Objekt eller tekst") \
    X(T_BILL_AMOUNT, "Amount", "Beløb") \
    X(T_BILL_OPENING, "Opening balance", "Primosaldo") \
    X(T_BILL_CLOSING, "Closing balance", "Ultimosaldo") \
    X(T_BILL_NO_ENTRIES, "No entries in this period.", "Ingen posteringer i perioden.") \
    X(T_BILL_INVOICES, "Invoices", "Fakturaer") \
    X(T_BILL_NO_INVOICES, "No invoices yet.", "Ingen fakturaer endnu.") \
    X(T_BILL_INVOICE_NO, "Number", "Nummer") \
    X(T_BILL_ISSUED, "Issued", "Udstedt") \
    X(T_BILL_PERIOD, "Period", "Periode") \
    X(T_BILL_TOTAL, "Total", "I alt") \
    X(T_BILL_DOWNLOAD, "Download", "Hent") \
    X(T_BILL_ONEOFF, "One-off fee", "Engangsgebyr") \
    X(T_BILL_INVOICE_TITLE, "Invoice {}", "Faktura {}") \
    X(T_BILL_DOWNLOAD_HTML, "Download (printable HTML)", "Hent (HTML til udskrift)") \
    X(T_BILL_DOWNLOAD_CSV, "Download as CSV", "Hent som CSV") \
    X(T_BILL_TRANSACTION, "Transaction", "Transaktion") \
    X(T_BILL_PRICES, "Your prices", "Dine priser") \
    X(T_BILL_REBATE, "Your rebate: {}. The last column is what you pay.", "Din rabat: {}. Sidste kolonne er det, du betaler.") \
    X(T_BILL_YEARS, "Years", "År") \
    X(T_BILL_PER_YEAR, "per year", "pr. år") \
    X(T_BILL_APPLIES, "Price list", "Prisliste") \
    X(T_BILL_DEFAULT_PRICE, "Registry price", "Registreringens pris") \
    X(T_BILL_OVERRIDE, "Your agreed price", "Jeres aftalte pris") \
    X(T_BILL_REPLACED, "Registry price (your agreed price applies)", "Registreringens pris (jeres aftalte pris gælder)") \
    X(T_BILL_PRICE, "Price", "Pris") \
    X(T_BILL_YOUR_PRICE, "You pay", "I betaler") \
    X(T_BILL_NO_PRICES, "The registry has no prices set.", "Registreringen har ingen priser fastsat.")

enum portal_text_id {
#define PORTAL_TEXT_ENUM(id, en, da) id,
    PORTAL_TEXTS(PORTAL_TEXT_ENUM)
#undef PORTAL_TEXT_ENUM
    T__COUNT
};

/* The languages, in the order of the table's columns. */
#define PORTAL_LANGS "en|da"
/* "en" or "da" for a language tag ("da-DK" → "da"), "en" for anything else. */
const char *portal_lang(const char *tag);
/* The text in language lang ("en" or "da"; others get English). */
const char *portal_text(const char *lang, enum portal_text_id id);

#endif
