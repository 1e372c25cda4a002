/* Auth-info and OTP hashes under the pepper (src/contrib/secret.c, issue 12
 * item 7): the keyed form, what a copy of the database alone allows, the
 * older salted SHA-256 form and its migration, rotation, and the pepper
 * file's checks. */
#include "testutil.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "contrib/secret.h"

/* 50 bits, as an OTP: the kind of code a GPU guesses against a leaked
 * unkeyed hash */
#define CODE "K7MWQ4XR2P"

static void use(const char *keys)
{
    char err[256];
    if (secret_pepper_parse(keys, err, sizeof err))
        fail_msg("pepper %s: %s", keys, err);
}

static void keyed_hash_verifies_and_names_its_key(void **state)
{
    (void)state;
    use(TEST_PEPPER "\n");
    char hash[SECRET_AUTHINFO_HASH_LEN], again[SECRET_AUTHINFO_HASH_LEN];
    char rehash[SECRET_AUTHINFO_HASH_LEN] = "x", id[SECRET_KEY_ID_LEN];
    assert_int_equal(secret_authinfo_hash(CODE, hash), REG_OK);
    assert_int_equal(strlen(secret_pepper_current()), 8);
    char prefix[32];
    snprintf(prefix, sizeof prefix, "h256$%s$", secret_pepper_current());
    assert_memory_equal(hash, prefix, strlen(prefix));
    assert_int_equal(strlen(hash), SECRET_AUTHINFO_HASH_LEN - 1);
    assert_null(strstr(hash, CODE));
    secret_authinfo_key_of(hash, id);
    assert_string_equal(id, secret_pepper_current());

    assert_true(secret_authinfo_verify(hash, CODE, rehash));
    assert_string_equal(rehash, ""); /* current form: nothing to migrate */
    assert_true(secret_authinfo_verify(hash, CODE, NULL));
    assert_false(secret_authinfo_verify(hash, "K7MWQ4XR2Q", rehash));
    assert_false(secret_authinfo_verify(hash, "", NULL));
    assert_false(secret_authinfo_verify(hash, NULL, NULL));
    /* salted: the same code hashes differently each time */
    assert_int_equal(secret_authinfo_hash(CODE, again), REG_OK);
    assert_string_not_equal(hash, again);
    assert_true(secret_authinfo_verify(again, CODE, NULL));
}

/* The weakness: with the older form a database copy is enough to test
 * guesses; with the keyed one it is not, and another pepper verifies
 * nothing. */
static void database_alone_cannot_test_a_guess(void **state)
{
    (void)state;
    char old[SECRET_AUTHINFO_HASH_LEN], hash[SECRET_AUTHINFO_HASH_LEN];
    test_legacy_hash(CODE, old);
    assert_true(test_offline_guess_matches(old, CODE)); /* the attack works on s256 */

    use(TEST_PEPPER "\n");
    assert_int_equal(secret_authinfo_hash(CODE, hash), REG_OK);
    assert_false(test_offline_guess_matches(hash, CODE)); /* and not on h256 */

    /* a pepper the attacker guessed (or none) verifies nothing */
    use(TEST_PEPPER_NEXT "\n");
    assert_false(secret_authinfo_verify(hash, CODE, NULL));
    secret_pepper_clear();
    assert_false(secret_authinfo_verify(hash, CODE, NULL));
    assert_string_equal(secret_pepper_current(), "");
    /* and without one nothing is hashed */
    assert_int_equal(secret_authinfo_hash(CODE, hash), REG_ERR_CONFIG);
    assert_string_equal(hash, "");
}

static void older_form_verifies_and_is_hashed_again(void **state)
{
    (void)state;
    use(TEST_PEPPER "\n");
    char old[SECRET_AUTHINFO_HASH_LEN], rehash[SECRET_AUTHINFO_HASH_LEN], id[SECRET_KEY_ID_LEN];
    test_legacy_hash(CODE, old);
    secret_authinfo_key_of(old, id);
    assert_string_equal(id, "s256");

    assert_false(secret_authinfo_verify(old, "wrong", rehash));
    assert_string_equal(rehash, "");
    assert_true(secret_authinfo_verify(old, CODE, rehash));
    assert_memory_equal(rehash, "h256$", 5);
    secret_authinfo_key_of(rehash, id);
    assert_string_equal(id, secret_pepper_current());
    assert_true(secret_authinfo_verify(rehash, CODE, NULL));
    assert_false(test_offline_guess_matches(rehash, CODE));
    /* without a pepper an old hash still verifies, but is not replaced */
    secret_pepper_clear();
    assert_true(secret_authinfo_verify(old, CODE, rehash));
    assert_string_equal(rehash, "");
}

static void rotation_keeps_old_hashes_until_used(void **state)
{
    (void)state;
    char by_a[SECRET_AUTHINFO_HASH_LEN], by_b[SECRET_AUTHINFO_HASH_LEN];
    char rehash[SECRET_AUTHINFO_HASH_LEN], a[SECRET_KEY_ID_LEN], id[SECRET_KEY_ID_LEN];
    use(TEST_PEPPER "\n");
    snprintf(a, sizeof a, "%s", secret_pepper_current());
    assert_int_equal(secret_authinfo_hash(CODE, by_a), REG_OK);

    /* a new key first, the old one kept to verify */
    use("# rotated\n" TEST_PEPPER_NEXT "\n\n  " TEST_PEPPER "  \r\n");
    assert_string_not_equal(secret_pepper_current(), a);
    assert_true(secret_pepper_has(a));
    assert_int_equal(secret_authinfo_hash(CODE, by_b), REG_OK);
    secret_authinfo_key_of(by_b, id);
    assert_string_equal(id, secret_pepper_current());
    assert_true(secret_authinfo_verify(by_b, CODE, rehash));
    assert_string_equal(rehash, "");
    /* a hash by the old key verifies and comes back under the new one */
    assert_true(secret_authinfo_verify(by_a, CODE, rehash));
    secret_authinfo_key_of(rehash, id);
    assert_string_equal(id, secret_pepper_current());
    assert_true(secret_authinfo_verify(rehash, CODE, NULL));

    /* once the old key is dropped its hashes verify no more */
    use(TEST_PEPPER_NEXT "\n");
    assert_false(secret_pepper_has(a));
    assert_false(secret_authinfo_verify(by_a, CODE, NULL));
    assert_true(secret_authinfo_verify(by_b, CODE, NULL));
    /* the key id is derived from the key: the same key, the same id */
    use(TEST_PEPPER "\n");
    assert_string_equal(secret_pepper_current(), a);
    assert_true(secret_authinfo_verify(by_a, CODE, NULL));
}

static void malformed_hashes_do_not_verify(void **state)
{
    (void)state;
    use(TEST_PEPPER "\n");
    char hash[SECRET_AUTHINFO_HASH_LEN], bad[SECRET_AUTHINFO_HASH_LEN + 8], id[SECRET_KEY_ID_LEN];
    assert_int_equal(secret_authinfo_hash(CODE, hash), REG_OK);
    const char *cases[] = {"", "h256$", "s256$", "x256$0011$aa", "$argon2id$v=19$m=1"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_false(secret_authinfo_verify(cases[i], CODE, NULL));
        secret_authinfo_key_of(cases[i], id);
        assert_string_equal(id, "");
    }
    assert_false(secret_authinfo_verify(NULL, CODE, NULL));
    snprintf(bad, sizeof bad, "%.*s", (int)strlen(hash) - 1, hash); /* one digit short */
    assert_false(secret_authinfo_verify(bad, CODE, NULL));
    snprintf(bad, sizeof bad, "%s0", hash); /* one digit more */
    assert_false(secret_authinfo_verify(bad, CODE, NULL));
    snprintf(bad, sizeof bad, "%s", hash);
    bad[5] = bad[5] == 'f' ? 'e' : 'f'; /* a key id the pepper does not hold */
    assert_false(secret_authinfo_verify(bad, CODE, NULL));
}

static void expect_parse_error(const char *text, const char *in_reason)
{
    char err[256] = "", before[SECRET_KEY_ID_LEN];
    snprintf(before, sizeof before, "%s", secret_pepper_current());
    assert_int_equal(secret_pepper_parse(text, err, sizeof err), REG_ERR_CONFIG);
    if (!strstr(err, in_reason))
        fail_msg("pepper \"%s\": \"%s\" does not say \"%s\"", text, err, in_reason);
    /* a refused pepper leaves the keys as they were */
    assert_string_equal(secret_pepper_current(), before);
}

static void pepper_text_is_checked(void **state)
{
    (void)state;
    use(TEST_PEPPER "\n");
    expect_parse_error("", "no key");
    expect_parse_error("# only a comment\n\n", "no key");
    expect_parse_error("00112233445566778899aabbccddeeff\n", "line 1: a key is 64 to 128 hex");
    expect_parse_error("# c\n" TEST_PEPPER "0\n", "line 2: a key is");
    expect_parse_error(TEST_PEPPER "\nzz112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
                       "line 2: a key is");
    expect_parse_error(TEST_PEPPER TEST_PEPPER TEST_PEPPER "\n", "line 1: a key is");
    expect_parse_error(TEST_PEPPER "\n" TEST_PEPPER "\n", "line 2: the same key");
    char many[2048] = "";
    for (int i = 0; i < SECRET_PEPPER_KEYS_MAX + 1; i++)
        snprintf(many + strlen(many), sizeof many - strlen(many), "%064x\n", i + 1);
    expect_parse_error(many, "line 9: more than 8 keys");
    /* 64 bytes, upper case: fine */
    use(TEST_PEPPER "\n00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF"
                    "00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF");
}

static char *scratch(const char *name)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/test_secret-%d-%s", test_tmpdir(), (int)getpid(), name);
    unlink(path);
    return path;
}

static void write_file(const char *path, const char *text, mode_t mode)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    assert_int_equal(chmod(path, mode), 0);
}

static void expect_load_error(const char *path, const char *in_reason)
{
    char err[512] = "";
    assert_int_equal(secret_pepper_load(path, err, sizeof err), REG_ERR_CONFIG);
    if (!strstr(err, in_reason) || !strstr(err, path))
        fail_msg("%s: \"%s\" does not say \"%s\" with the path", path, err, in_reason);
}

/* A password file and the pepper obey one reader: a FIFO is refused at
 * once (opened without blocking: nobody writes to it here), a file its
 * group may write is refused, one larger than the buffer is refused and
 * the buffer is left wiped. */
static void secret_files_share_one_reader(void **state)
{
    (void)state;
    char buf[64], err[512];
    char *path = scratch("secretfile");
    unlink(path);
    assert_int_equal(mkfifo(path, 0600), 0);
    assert_int_equal(secret_file_read("test secret", path, buf, sizeof buf, err, sizeof err),
                     REG_ERR_CONFIG);
    assert_non_null(strstr(err, "is not a regular file"));
    assert_non_null(strstr(err, path));
    unlink(path);
    write_file(path, "s3cret\n", 0620);
    assert_int_equal(secret_file_read("test secret", path, buf, sizeof buf, err, sizeof err),
                     REG_ERR_CONFIG);
    assert_non_null(strstr(err, "(mode 0620)"));
    chmod(path, 0640);
    assert_int_equal(secret_file_read("test secret", path, buf, sizeof buf, err, sizeof err),
                     REG_OK);
    assert_string_equal(buf, "s3cret\n");
    char big[100];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    write_file(path, big, 0600);
    memset(buf, 'y', sizeof buf);
    assert_int_equal(secret_file_read("test secret", path, buf, sizeof buf, err, sizeof err),
                     REG_ERR_CONFIG);
    assert_non_null(strstr(err, "is larger than 63 bytes"));
    for (size_t i = 0; i < sizeof buf; i++)
        assert_int_equal(buf[i], 0);
    unlink(path);
}

static void pepper_file_must_be_private(void **state)
{
    (void)state;
    char err[512];
    char *path = scratch("pepper");
    write_file(path, TEST_PEPPER_NEXT "\n", 0644);
    use(TEST_PEPPER "\n");
    char before[SECRET_KEY_ID_LEN];
    snprintf(before, sizeof before, "%s", secret_pepper_current());
    expect_load_error(path, "may be read or changed by others (mode 0644): chmod 600");
    chmod(path, 0604);
    expect_load_error(path, "(mode 0604)");
    chmod(path, 0660);
    expect_load_error(path, "(mode 0660)");
    assert_string_equal(secret_pepper_current(), before);
    chmod(path, 0640); /* a group of registryd and regctl may read it */
    assert_int_equal(secret_pepper_load(path, err, sizeof err), REG_OK);
    chmod(path, 0400);
    assert_int_equal(secret_pepper_load(path, err, sizeof err), REG_OK);
    assert_string_not_equal(secret_pepper_current(), before);
    unlink(path);
    expect_load_error(path, "No such file");
    write_file(path, "not hex\n", 0600);
    expect_load_error(path, "line 1: a key is");
    unlink(path);
    expect_load_error(test_tmpdir(), "not a regular file");
}

static void created_pepper_is_private_and_fresh(void **state)
{
    (void)state;
    char err[512], first[SECRET_KEY_ID_LEN];
    char *path = scratch("created");
    assert_int_equal(secret_pepper_create(path, err, sizeof err), REG_OK);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_int_equal(secret_pepper_load(path, err, sizeof err), REG_OK);
    snprintf(first, sizeof first, "%s", secret_pepper_current());
    /* never over an existing file: that would void every stored hash */
    assert_int_equal(secret_pepper_create(path, err, sizeof err), REG_ERR_IO);
    assert_non_null(strstr(err, "File exists"));
    assert_int_equal(secret_pepper_load(path, err, sizeof err), REG_OK);
    assert_string_equal(secret_pepper_current(), first);
    unlink(path);
    /* each pepper is new */
    assert_int_equal(secret_pepper_create(path, err, sizeof err), REG_OK);
    assert_int_equal(secret_pepper_load(path, err, sizeof err), REG_OK);
    assert_string_not_equal(secret_pepper_current(), first);
    unlink(path);
}

int main(void)
{
    if (secret_init())
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(keyed_hash_verifies_and_names_its_key),
        cmocka_unit_test(database_alone_cannot_test_a_guess),
        cmocka_unit_test(older_form_verifies_and_is_hashed_again),
        cmocka_unit_test(rotation_keeps_old_hashes_until_used),
        cmocka_unit_test(malformed_hashes_do_not_verify),
        cmocka_unit_test(pepper_text_is_checked),
        cmocka_unit_test(pepper_file_must_be_private),
        cmocka_unit_test(secret_files_share_one_reader),
        cmocka_unit_test(created_pepper_is_private_and_fresh),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
