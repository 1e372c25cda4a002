#!/usr/bin/perl
# "A registrar runs its whole business with a real EPP client": Debian's
# Net::EPP::Simple (libnet-epp-perl), unmodified, against a real registryd
# started with tests/system/daemon.py ("start --json"; the daemon stops when
# this script closes the pipe, also if it dies). Two registrars, REG-A and
# REG-B:
#
#   REG-A  creates a registrant and an admin contact (create_contact) and
#          checks them; creates an external host; creates business.dk with
#          name server, contacts, auth info and a secDNS dsData extension
#          (RFC 5910; Net::EPP::Simple has no helper for it, so the
#          extension is added to a Net::EPP::Frame::Command::Create::Domain
#          with XML::LibXML); creates the in-bailiwick host ns1.business.dk
#          with addresses; info; update (add ns, add and remove
#          clientTransferProhibited); renew with curExpDate from info
#   REG-B  logs in separately and transfers the domain with the auth info;
#          REG-A gets and acks the poll message (and REG-B its own); the
#          domain's contacts are now REG-B's copies, REG-A's unchanged (R4)
#   REG-B  deletes the domain (1001: redemption, RFC 3915) after removing the
#          host under it, restores it (rgp:update restore op="request"),
#          both log out
#
# Each result code is checked ($Net::EPP::Simple::Code for the helpers, the
# response's code for hand-built frames). Prints TAP.
#
# Environment: REGCTL, REGISTRYD (and REG_TEST_PG_URL_FILE with
# REG_EPP_BACKEND=pgsql); PYTHON3 names the interpreter (default python3).
use strict;
use warnings;

use Cwd qw(abs_path);
use Encode qw(decode_utf8);
use File::Basename qw(dirname);
use IPC::Open2 qw(open2);
use JSON::PP qw(decode_json);
use Test::More;

use Net::EPP::Simple;
use Net::EPP::Frame::Command::Create::Domain;
use Net::EPP::Frame::Command::Info::Domain;
use Net::EPP::Frame::Command::Update::Domain;
use Net::EPP::Frame::Command::Poll::Req;
use Net::EPP::Frame::Command::Poll::Ack;

use constant {
    EPP_NS    => 'urn:ietf:params:xml:ns:epp-1.0',
    DOMAIN_NS => 'urn:ietf:params:xml:ns:domain-1.0',
    SECDNS_NS => 'urn:ietf:params:xml:ns:secDNS-1.1',
    RGP_NS    => 'urn:ietf:params:xml:ns:rgp-1.0',
    REGD_NS   => 'https://registryd.org/epp/domain-ext-1.0',
};

my $here    = dirname(abs_path($0));
my $python  = $ENV{PYTHON3} || 'python3';
my $backend = $ENV{REG_EPP_BACKEND} || 'sqlite';

my %PW = ('REG-A' => 'a-Secret-1', 'REG-B' => 'b-Secret-1');
# the registry's clock starts here (and runs on), so that the expiry dates
# below are known: created for 1 year, renewed 1, transferred with period 1
my $CLOCK_NOW = '2025-06-15T12:00:00Z';

my ($from_daemon, $to_daemon);
my $helper = open2($from_daemon, $to_daemon, $python, "$here/daemon.py", 'start', '--json',
                   '--backend', $backend, '--set', "clock.now=$CLOCK_NOW",
                   map { ('--registrar', "$_:$PW{$_}") } sort keys %PW);
my $line = <$from_daemon>;
BAIL_OUT('daemon.py start printed nothing (see its error above)') unless defined $line;
my $d = decode_json($line);
note("registryd pid $d->{pid} on $d->{host}:$d->{port} ($d->{backend})");

END {
    my $status = $?;
    if ($helper) {
        close($to_daemon);
        waitpid($helper, 0);
    }
    $? = $status;
}

sub connect_epp {
    my ($user) = @_;
    return Net::EPP::Simple->new(
        host        => $d->{host},
        port        => $d->{port},
        user        => $user,
        pass        => $PW{$user},
        timeout     => 15,
        reconnect   => 0,    # a dropped connection must show, not be re-established
        load_config => 0,    # no ~/.net-epp-simple-rc
        # objects and extensions: Net::EPP::Simple echoes the greeting's
        # lists, so secDNS-1.1 and rgp-1.0 are announced
    );
}

sub regctl {
    my (@args) = @_;
    open(my $fh, '-|', $ENV{REGCTL}, '--config', $d->{config}, @args)
        or return (0, "cannot run $ENV{REGCTL}: $!");
    my $out = do { local $/; <$fh> } // '';
    close($fh);
    return ($? == 0, $out);
}

# $Net::EPP::Simple::Code after a helper call, with the error for diagnostics
sub code_is {
    my ($want, $what) = @_;
    is($Net::EPP::Simple::Code, $want, "$what: $want")
        or diag("error: " . ($Net::EPP::Simple::Error // '') .
                " / msg: " . ($Net::EPP::Simple::Message // ''));
}

# the response's own result code, for frames built here
sub resp_code_is {
    my ($r, $want, $what) = @_;
    ok($r, "$what: answered") or return;
    is($r->code, $want, "$what: $want") or diag($r->toString(1));
}

sub el {
    my ($node, $ns, $name) = @_;
    return $node->getElementsByTagNameNS($ns, $name)->shift;
}

sub text_of {
    my ($node, $ns, $name) = @_;
    my $e = el($node, $ns, $name);
    return $e ? $e->textContent : undef;
}

# Adds <extension> (before <clTRID>, RFC 5730 §2.7.3) to a command frame and
# an element of an extension namespace in it; returns that element.
sub add_extension {
    my ($frame, $ns, $qname) = @_;
    my $ext = el($frame, EPP_NS, 'extension');
    if (!$ext) {
        $ext = $frame->createElementNS(EPP_NS, 'extension');
        $frame->command->insertBefore($ext, $frame->clTRID);
    }
    my $el = $frame->createElementNS($ns, $qname);
    $ext->appendChild($el);
    return $el;
}

# R20: a domain create carries the registrant's acceptance of the registry's
# terms (<regd:create><regd:terms version accepted/>) in its extension.
sub add_terms {
    my ($frame) = @_;
    my $regd  = add_extension($frame, REGD_NS, 'regd:create');
    my $terms = $regd->addNewChild(REGD_NS, 'regd:terms');
    $terms->setAttribute('version', '1.0');
    $terms->setAttribute('accepted', '2025-06-01T09:30:00Z');
    return $regd;
}

sub add_child {
    my ($parent, $ns, $qname, $text) = @_;
    my $el = $parent->addNewChild($ns, $qname);
    $el->appendTextNode($text) if defined $text;
    return $el;
}

# a full domain:info frame (Net::EPP::Simple's domain_info drops the
# extensions other than secDNS)
sub raw_domain_info {
    my ($epp, $name) = @_;
    my $f = Net::EPP::Frame::Command::Info::Domain->new;
    $f->setDomain($name);
    return $epp->request($f);
}

my $DOMAIN  = 'business.dk';
my $EXT_NS  = 'ns1.example.net';      # external host
my $SUB_NS  = "ns1.$DOMAIN";          # in-bailiwick host
my $AUTH    = 'Bus1ness-Auth';
my @DS      = (12345, 13, 2, '49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE9BDB6E5CE0A0D8CB5D3D0D2E');

# --- REG-A logs in -----------------------------------------------------------
my $a = connect_epp('REG-A');
ok($a, 'REG-A logs in') or BAIL_OUT("login failed: $Net::EPP::Simple::Error");
code_is(1000, 'REG-A login');
my @exts = map { $_->textContent } $a->greeting->getElementsByTagNameNS(EPP_NS, 'extURI');
ok((grep { $_ eq SECDNS_NS } @exts) && (grep { $_ eq RGP_NS } @exts),
   'the greeting offers secDNS-1.1 and rgp-1.0');

# --- contacts ------------------------------------------------------------------
my %contact_data = (
    holder => { name => 'Birgitte Hansen', org => 'Business ApS', email => 'bh@business.example',
                street => ['Vesterbrogade 1', '2. sal'], city => 'Aarhus', pc => '8000' },
    admin  => { name => 'Anders Admin', org => '', email => 'admin@business.example',
                street => ['Nørregade 7'], city => 'København K', pc => '1165' },
);
for my $id (sort keys %contact_data) {
    my $c = $contact_data{$id};
    my $ok = $a->create_contact({
        id         => $id,
        postalInfo => { loc => { name => $c->{name}, org => $c->{org},
                                 addr => { street => $c->{street}, city => $c->{city},
                                           sp => '', pc => $c->{pc}, cc => 'DK' } } },
        voice      => '+45.12345678',
        fax        => '',
        email      => $c->{email},
        authInfo   => "Contact-$id-1",
    });
    ok($ok, "create_contact $id");
    code_is(1000, "create_contact $id");
}
# R1: the stored id is REGISTRAR:ID, upper-case
my $HOLDER = 'REG-A:HOLDER';
my $ADMIN  = 'REG-A:ADMIN';
is($a->check_contact('holder'), 0, 'check_contact holder: in use');
code_is(1000, 'check_contact holder');
is($a->check_contact($ADMIN), 0, "check_contact $ADMIN: in use");
is($a->check_contact('nobody'), 1, 'check_contact nobody: available');
my $ci = $a->contact_info($HOLDER);
ok($ci, "contact_info $HOLDER");
code_is(1000, 'contact_info');
is($ci && $ci->{id}, $HOLDER, '... the stored id (R1)');
is($ci && $ci->{email}, 'bh@business.example', '... email');
is($ci && $ci->{postalInfo}{loc}{name}, 'Birgitte Hansen', '... name');
is($ci && $ci->{postalInfo}{loc}{addr}{city}, 'Aarhus', '... city');
is($ci && $ci->{clID}, 'REG-A', '... clID');

# --- an external host ------------------------------------------------------------
is($a->check_host($EXT_NS), 1, "check_host $EXT_NS: available");
ok($a->create_host({ name => $EXT_NS, addrs => [] }), "create_host $EXT_NS");
code_is(1000, "create_host $EXT_NS");
is($a->check_host($EXT_NS), 0, '... now in use');

# --- the domain, with secDNS -----------------------------------------------------------
is($a->check_domain($DOMAIN), 1, "check_domain $DOMAIN: available");
code_is(1000, 'check_domain');
{
    my $f = Net::EPP::Frame::Command::Create::Domain->new;
    $f->setDomain($DOMAIN);
    $f->setPeriod(1);
    $f->setNS($EXT_NS);
    $f->setRegistrant($HOLDER);
    $f->setContacts({ admin => $ADMIN, tech => $ADMIN });
    $f->setAuthInfo($AUTH);
    add_terms($f);
    my $sec = add_extension($f, SECDNS_NS, 'secDNS:create');
    my $ds  = add_child($sec, SECDNS_NS, 'secDNS:dsData');
    add_child($ds, SECDNS_NS, "secDNS:$_->[0]", $_->[1])
        for (['keyTag', $DS[0]], ['alg', $DS[1]], ['digestType', $DS[2]], ['digest', $DS[3]]);
    my $r = $a->request($f);
    resp_code_is($r, 1000, "create $DOMAIN with ns, contacts, authInfo and secDNS:create");
    is($r && text_of($r, DOMAIN_NS, 'name'), $DOMAIN, '... creData name') if $r;
    like($r && text_of($r, DOMAIN_NS, 'exDate'), qr/^2026-06-15T12:00:/,
         '... creData exDate 1 year on') if $r;
}
is($a->check_domain($DOMAIN), 0, "check_domain $DOMAIN: taken");

# a second domain, for two years (Net::EPP::Simple's create_domain cannot
# carry the terms extension, so the frame is built here as well)
{
    my $f = Net::EPP::Frame::Command::Create::Domain->new;
    $f->setDomain("shop-$DOMAIN");
    $f->setPeriod(2);
    $f->setNS($EXT_NS);
    $f->setRegistrant($HOLDER);
    $f->setContacts({ admin => $ADMIN });
    $f->setAuthInfo('Shop-Auth-9');
    add_terms($f);
    resp_code_is($a->request($f), 1000, "create shop-$DOMAIN (2 years)");
}

# --- the in-bailiwick host, now that the domain exists ------------------------------
my @ADDRS = ({ ip => '193.163.102.58',    version => 'v4' },
             { ip => '2a01:630:0:80::53', version => 'v6' });
ok($a->create_host({ name => $SUB_NS, addrs => \@ADDRS }), "create_host $SUB_NS with addresses");
code_is(1000, "create_host $SUB_NS");
my $hi = $a->host_info($SUB_NS);
ok($hi, "host_info $SUB_NS");
is_deeply([ sort map { "$_->{version} $_->{addr}" } @{ $hi->{addrs} || [] } ],
          [ 'v4 193.163.102.58', 'v6 2a01:630:0:80::53' ], '... both addresses') if $hi;
is($hi && $hi->{clID}, 'REG-A', '... clID REG-A');

# --- info --------------------------------------------------------------------------------
my $info = $a->domain_info($DOMAIN);
ok($info, "domain_info $DOMAIN");
code_is(1000, 'domain_info');
$info ||= {};
is($info->{name}, $DOMAIN, '... name');
is($info->{registrant}, $HOLDER, '... registrant');
is($info->{contacts}{admin}, $ADMIN, '... admin contact');
is($info->{contacts}{tech}, $ADMIN, '... tech contact');
is_deeply($info->{ns}, [$EXT_NS], '... ns');
is_deeply($info->{hosts}, [$SUB_NS], '... subordinate host');
is_deeply($info->{DS}, ["@DS"], '... the DS record (secDNS:infData)');
is($info->{clID}, 'REG-A', '... clID');
is($info->{crID}, 'REG-A', '... crID');
like($info->{crDate} // '', qr/^2025-06-15T12:00:/, '... crDate (the registry clock)');
like($info->{exDate} // '', qr/^2026-06-15T12:00:/, '... exDate');
is($info->{authInfo}, '', '... auth info set but not shown (RFC 9154)');
ok(grep({ $_ eq 'ok' } @{ $info->{status} || [] }), '... status ok');

# --- update: add ns, add status; then remove the status ----------------------------
ok($a->update_domain({ name => $DOMAIN,
                       add  => { ns => [$SUB_NS], status => ['clientTransferProhibited'] } }),
   'update_domain: add ns and clientTransferProhibited');
code_is(1000, 'update_domain add');
$info = $a->domain_info($DOMAIN) || {};
is_deeply([ sort @{ $info->{ns} || [] } ], [ sort($EXT_NS, $SUB_NS) ], '... two name servers');
ok(grep({ $_ eq 'clientTransferProhibited' } @{ $info->{status} || [] }),
   '... clientTransferProhibited set');

my $b = connect_epp('REG-B');
ok($b, 'REG-B logs in (its own session)') or BAIL_OUT("login failed: $Net::EPP::Simple::Error");
code_is(1000, 'REG-B login');
ok(!$b->domain_transfer_request($DOMAIN, $AUTH, 1), 'a transfer is refused while prohibited');
code_is(2304, '... clientTransferProhibited');

ok($a->update_domain({ name => $DOMAIN, rem => { status => ['clientTransferProhibited'] } }),
   'update_domain: remove clientTransferProhibited');
code_is(1000, 'update_domain rem');
$info = $a->domain_info($DOMAIN) || {};
ok(!grep({ $_ eq 'clientTransferProhibited' } @{ $info->{status} || [] }),
   '... clientTransferProhibited gone');

# --- renew ---------------------------------------------------------------------------
my $exdate = $info->{exDate} // '';
ok($a->renew_domain({ name => $DOMAIN, cur_exp_date => substr($exdate, 0, 10), period => 1 }),
   "renew_domain (curExpDate " . substr($exdate, 0, 10) . " from info)");
code_is(1000, 'renew_domain');
ok(!$a->renew_domain({ name => $DOMAIN, cur_exp_date => substr($exdate, 0, 10), period => 1 }),
   'renewing again with the old curExpDate fails');
code_is(2306, '... with 2306');
$info = $a->domain_info($DOMAIN) || {};
is($info->{exDate}, '2027' . substr($exdate, 4), '... the expiry moved one year, to 2027-06-15')
    or diag("was $exdate");

# --- transfer to REG-B ---------------------------------------------------------
my %before = map { ($_ => $a->contact_info($_)) } ($HOLDER, $ADMIN);
ok(!$b->domain_transfer_request($DOMAIN, 'Wrong-Auth-1', 1), 'a transfer with the wrong auth info');
code_is(2202, '... fails with 2202');
my $trn = $b->domain_transfer_request($DOMAIN, $AUTH, 1);
ok($trn, 'REG-B: domain_transfer_request with the auth info');
code_is(1000, 'domain_transfer_request (immediate)');
$trn ||= {};
is($trn->{name}, $DOMAIN, '... trnData name');
is($trn->{trStatus}, 'serverApproved', '... trStatus serverApproved');
is($trn->{reID}, 'REG-B', '... reID REG-B');
is($trn->{acID}, 'REG-A', '... acID REG-A');
is($trn->{exDate}, '2028' . substr($exdate, 4), '... exDate one more year (period 1)');

# REG-A: the poll message about the transfer
my $r = $a->request(Net::EPP::Frame::Command::Poll::Req->new);
resp_code_is($r, 1301, 'REG-A poll req');
my ($msgq, $msgid);
if ($r) {
    $msgq = el($r, EPP_NS, 'msgQ');
    ok($msgq, '... msgQ');
    $msgid = $msgq && $msgq->getAttribute('id');
    ok($msgid, '... with an id');
    ok($msgq && text_of($msgq, EPP_NS, 'msg'), '... and a msg');
    my $pt = el($r, DOMAIN_NS, 'trnData');
    ok($pt, '... resData domain:trnData');
    is($pt && text_of($pt, DOMAIN_NS, 'name'), $DOMAIN, '... for the domain');
    is($pt && text_of($pt, DOMAIN_NS, 'trStatus'), 'serverApproved', '... serverApproved');
    is($pt && text_of($pt, DOMAIN_NS, 'reID'), 'REG-B', '... reID REG-B');
    is($pt && text_of($pt, DOMAIN_NS, 'acID'), 'REG-A', '... acID REG-A');
}
{
    my $ack = Net::EPP::Frame::Command::Poll::Ack->new;
    $ack->setMsgID($msgid // 'none');
    $r = $a->request($ack);
    resp_code_is($r, 1000, 'REG-A poll ack');
    is($r && el($r, EPP_NS, 'msgQ') && el($r, EPP_NS, 'msgQ')->getAttribute('count'), 0,
       '... queue empty') if $r;
}
$r = $a->request(Net::EPP::Frame::Command::Poll::Req->new);
resp_code_is($r, 1300, 'REG-A poll req: nothing left');

# REG-B, the gaining registrar, is told too (both parties get poll messages)
$r = $b->request(Net::EPP::Frame::Command::Poll::Req->new);
resp_code_is($r, 1301, 'REG-B poll req: the gaining registrar has a message');
{
    my $q = $r && el($r, EPP_NS, 'msgQ');
    my $ack = Net::EPP::Frame::Command::Poll::Ack->new;
    $ack->setMsgID($q ? $q->getAttribute('id') : 'none');
    $r = $b->request($ack);
    resp_code_is($r, 1000, 'REG-B poll ack');
}

# the losing registrar no longer sees everything
ok(!$a->update_domain({ name => $DOMAIN, add => { status => ['clientHold'] } }),
   'REG-A can no longer update the domain');
code_is(2201, '... 2201');

$info = $b->domain_info($DOMAIN) || {};
code_is(1000, 'REG-B domain_info');
is($info->{clID}, 'REG-B', '... clID REG-B');
# R4: the contacts came along as new objects of REG-B (ids as R2 makes them),
# each copied once; REG-A's own objects are left as they were
my $R4 = 'test_R4_contacts_copied';
my ($new_holder, $new_admin) = ($info->{registrant} // '', $info->{contacts}{admin} // '');
like($new_holder, qr/^REG-B:[0-9A-F]{8}$/, "$R4: the registrant is a new REG-B contact");
like($new_admin, qr/^REG-B:[0-9A-F]{8}$/, "$R4: so is the admin contact");
isnt($new_admin, $new_holder, "$R4: ... another one");
is($info->{contacts}{tech}, $new_admin, "$R4: admin and tech, one contact, copied once");
for my $copy ([$new_holder, $HOLDER, 'holder'], [$new_admin, $ADMIN, 'admin']) {
    my ($id, $orig, $key) = @$copy;
    my $c = $b->contact_info($id);
    code_is(1000, "$R4: REG-B contact_info $id");
    $c ||= {};
    is($c->{clID}, 'REG-B', "$R4: ... sponsored by REG-B");
    is($c->{crID}, 'REG-B', "$R4: ... created for REG-B");
    is($c->{email}, $contact_data{$key}{email}, "$R4: ... the email of $orig");
    is($c->{postalInfo}{loc}{name}, $contact_data{$key}{name}, "$R4: ... its name");
    is_deeply($c->{postalInfo}{loc}{addr}{street},
              [map { decode_utf8($_) } @{ $contact_data{$key}{street} }], "$R4: ... its street");
    is($c->{voice}, '+45.12345678', "$R4: ... its voice number");
}
for my $orig ($HOLDER, $ADMIN) {
    my $now = $a->contact_info($orig);
    is($now && $now->{clID}, 'REG-A', "$R4: $orig still REG-A's");
    is_deeply($now, $before{$orig}, "$R4: ... and unchanged");
}
my $shop = $a->domain_info("shop-$DOMAIN") || {};
is($shop->{registrant}, $HOLDER, "$R4: shop-$DOMAIN (still REG-A's) keeps $HOLDER");
is($shop->{contacts}{admin}, $ADMIN, "$R4: ... and $ADMIN");
is_deeply($info->{hosts}, [$SUB_NS], '... the subordinate host came along');
is_deeply($info->{DS}, ["@DS"], '... DS record kept');
ok(!defined $info->{authInfo}, '... auth info cleared by the transfer');
$hi = $b->host_info($SUB_NS);
is($hi && $hi->{clID}, 'REG-B', "$SUB_NS now sponsored by REG-B");

# --- delete as REG-B --------------------------------------------------------------------
ok(!$b->delete_domain($DOMAIN), 'delete_domain with a host under it');
code_is(2305, '... 2305');
ok($b->update_domain({ name => $DOMAIN, rem => { ns => [$SUB_NS] } }),
   "update_domain: rem ns $SUB_NS");
code_is(1000, 'update_domain rem ns');
ok($b->delete_host($SUB_NS), "delete_host $SUB_NS");
code_is(1000, 'delete_host');
is($b->check_host($SUB_NS), 1, '... the host name is available again');

# R7: without <regd:verified/> the delete waits for the registrant
ok($b->delete_domain($DOMAIN), "delete_domain $DOMAIN (unverified)");
code_is(1001, 'delete_domain: awaiting the registrant (R7)');
$r = raw_domain_info($b, $DOMAIN);
my $pa = $r && el($r, REGD_NS, 'pendingAction');
is($pa && $pa->textContent, 'delete', '... regd:pendingAction delete (R7)');
ok($r && !el($r, RGP_NS, 'rgpStatus'), '... not in the redemption period yet');
ok(!$b->delete_domain($DOMAIN), '... a second delete meanwhile');
code_is(2304, '... 2304: pendingDelete (R9)');
my ($ran, $out) = regctl('jobs', 'run', '--now', '2025-06-18T12:00:00Z', 'pending-expire');
ok($ran, 'regctl jobs run pending-expire, 48 h later') or diag($out);
$r = raw_domain_info($b, $DOMAIN);
ok($r && !el($r, REGD_NS, 'pendingAction'), '... the unanswered request lapsed (R7)');

# R8: with <regd:verified/> it applies at once
{
    my $f = Net::EPP::Frame::Command::Delete::Domain->new;
    $f->setDomain($DOMAIN);
    add_child(add_extension($f, REGD_NS, 'regd:delete'), REGD_NS, 'regd:verified');
    $r = $b->request($f);
    resp_code_is($r, 1001, "delete $DOMAIN with regd:verified: redemption period (R8, RFC 3915)");
}
$info = $b->domain_info($DOMAIN) || {};
ok(grep({ $_ eq 'pendingDelete' } @{ $info->{status} || [] }), '... pendingDelete');
$r = raw_domain_info($b, $DOMAIN);
resp_code_is($r, 1000, 'info with the rgp extension');
my $rgps = $r && el($r, RGP_NS, 'rgpStatus');
is($rgps && $rgps->getAttribute('s'), 'redemptionPeriod', '... rgp:rgpStatus redemptionPeriod');
is($a->check_domain($DOMAIN), 0, '... not available to others');

# --- restore --------------------------------------------------------------------------------
{
    my $f = Net::EPP::Frame::Command::Update::Domain->new;
    $f->setDomain($DOMAIN);
    my $rgp = add_extension($f, RGP_NS, 'rgp:update');
    add_child($rgp, RGP_NS, 'rgp:restore')->setAttribute('op', 'request');
    $r = $b->request($f);
    resp_code_is($r, 1000, 'restore (rgp:update restore op="request")');
    my $up = $r && el($r, RGP_NS, 'upData');
    ok($up, '... rgp:upData');
    is($up && el($up, RGP_NS, 'rgpStatus')->getAttribute('s'), 'pendingRestore',
       '... pendingRestore') if $up;
}
$info = $b->domain_info($DOMAIN) || {};
code_is(1000, 'domain_info after the restore');
ok(!grep({ /^pending/ } @{ $info->{status} || [] }), '... no pending status')
    or diag(join(' ', @{ $info->{status} || [] }));
$r = raw_domain_info($b, $DOMAIN);
ok($r && !el($r, RGP_NS, 'rgpStatus'), '... no rgp status');
is($info->{clID}, 'REG-B', '... still REG-B\'s');
is_deeply($info->{DS}, ["@DS"], '... with its DS record');

# --- log out --------------------------------------------------------------------------
ok($a->logout, 'REG-A logs out');
ok($b->logout, 'REG-B logs out');
my ($log_ok, $log) = regctl('epp-log');
ok($log_ok, 'regctl epp-log');
for my $reg (qw(REG-A REG-B)) {
    like($log, qr/^\S+\s+\Q$reg\E\s+\S+\s+logout\s+1500\s/m, "... ${reg}'s logout answered 1500");
}
unlike($log, qr/^\S+\s+\S+\s+\S+\s+\S+\s+(?:2001|2400|2500)\s/m,
       '... no command answered 2001, 2400 or 2500') or diag($log);

# --- stop the daemon ---------------------------------------------------------------------
close($to_daemon);
waitpid($helper, 0);
my $exit = $? >> 8;
undef $helper;
is($exit, 0, 'registryd stopped cleanly');

done_testing();
